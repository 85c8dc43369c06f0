#include "CLibpq.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

// The soname of libpq's ABI since PostgreSQL 8.2, installed by Debian's libpq5.
static const char library_name[] = "libpq.so.5";

#define FX_LIBPQ_POINTER(type, name, parameters, arguments) static type (*name##_pointer) parameters;
#define FX_LIBPQ_PROCEDURE_POINTER(name, parameters, arguments) static void (*name##_pointer) parameters;
FX_LIBPQ_FUNCTIONS(FX_LIBPQ_POINTER)
FX_LIBPQ_PROCEDURES(FX_LIBPQ_PROCEDURE_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_failure = "libpq was not loaded";
static char failure_text[512];

static void load(void) {
    void *library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *reason = dlerror();
        snprintf(failure_text, sizeof failure_text, "%s", reason != NULL ? reason : library_name);
        load_failure = failure_text;
        return;
    }
    // An older libpq without one of these functions is refused whole, before any of them is called.
#define FX_LIBPQ_RESOLVE(name) \
    *(void **)(&name##_pointer) = dlsym(library, #name); \
    if (name##_pointer == NULL) { \
        snprintf(failure_text, sizeof failure_text, "%s has no %s", library_name, #name); \
        load_failure = failure_text; \
        return; \
    }
#define FX_LIBPQ_RESOLVE_FUNCTION(type, name, parameters, arguments) FX_LIBPQ_RESOLVE(name)
#define FX_LIBPQ_RESOLVE_PROCEDURE(name, parameters, arguments) FX_LIBPQ_RESOLVE(name)
    FX_LIBPQ_FUNCTIONS(FX_LIBPQ_RESOLVE_FUNCTION)
    FX_LIBPQ_PROCEDURES(FX_LIBPQ_RESOLVE_PROCEDURE)
    load_failure = NULL;
}

const char *fx_libpq_load(void) {
    pthread_once(&load_once, load);
    return load_failure;
}

#define FX_LIBPQ_DEFINE_FUNCTION(type, name, parameters, arguments) \
    type fx_##name parameters { return name##_pointer arguments; }
#define FX_LIBPQ_DEFINE_PROCEDURE(name, parameters, arguments) \
    void fx_##name parameters { name##_pointer arguments; }
FX_LIBPQ_FUNCTIONS(FX_LIBPQ_DEFINE_FUNCTION)
FX_LIBPQ_PROCEDURES(FX_LIBPQ_DEFINE_PROCEDURE)
