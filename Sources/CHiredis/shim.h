#ifndef CHIREDIS_SHIM_H
#define CHIREDIS_SHIM_H

#include <stdlib.h>
#include <hiredis/hiredis.h>

/*
 * hiredis builds the same REDIS_REPLY_NIL object for a null bulk string ($-1)
 * and a null array (*-1). RESP2 distinguishes them, so the reader created here
 * wraps the default object functions and tags nil objects that were read from
 * an array header by setting their otherwise unused `integer` field.
 */

#define CHIREDIS_NULL_ARRAY_TAG 1

typedef struct chiredis_reader_functions {
    redisReplyObjectFunctions functions;
    redisReplyObjectFunctions *original;
} chiredis_reader_functions;

static void *chiredis_create_nil(const redisReadTask *task) {
    chiredis_reader_functions *wrapper = (chiredis_reader_functions *)task->privdata;
    redisReply *reply = (redisReply *)wrapper->original->createNil(task);
    if (reply != NULL && task->type == REDIS_REPLY_ARRAY) {
        reply->integer = CHIREDIS_NULL_ARRAY_TAG;
    }
    return reply;
}

static inline redisReader *chiredis_reader_create(void) {
    redisReader *reader = redisReaderCreate();
    if (reader == NULL) {
        return NULL;
    }
    chiredis_reader_functions *wrapper = malloc(sizeof(chiredis_reader_functions));
    if (wrapper == NULL) {
        redisReaderFree(reader);
        return NULL;
    }
    wrapper->functions = *reader->fn;
    wrapper->functions.createNil = chiredis_create_nil;
    wrapper->original = reader->fn;
    reader->fn = &wrapper->functions;
    reader->privdata = wrapper;
    return reader;
}

static inline void chiredis_reader_free(redisReader *reader) {
    chiredis_reader_functions *wrapper = (chiredis_reader_functions *)reader->privdata;
    redisReaderFree(reader);
    free(wrapper);
}

static inline const char *chiredis_reader_error(const redisReader *reader) {
    return reader->errstr;
}

static inline int chiredis_reply_is_null_array(const redisReply *reply) {
    return reply->type == REDIS_REPLY_NIL && reply->integer == CHIREDIS_NULL_ARRAY_TAG;
}

#endif
