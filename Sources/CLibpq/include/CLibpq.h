#ifndef FXRATES_CLIBPQ_H
#define FXRATES_CLIBPQ_H

// Debian's libpq-dev puts the header under postgresql/; its own includes are relative to it.
#include <postgresql/libpq-fe.h>

// libpq, opened at run time (dlopen) on first use rather than linked: a replica without PostgreSQL never maps it
// nor the libraries it needs (Kerberos, LDAP, SASL, GnuTLS and p11-kit, about 3.5 MiB of resident memory, and
// GnuTLS's start-up work).
//
// fx_libpq_load opens libpq.so.5 and resolves every function below, once per process (thread-safe). It returns
// NULL when libpq is ready, or why it is not (text that lives as long as the process). Every fx_PQ* function
// may be called only after fx_libpq_load returned NULL.
const char *fx_libpq_load(void);

// The libpq functions fxrates calls: (return type, name, parameters, arguments).
#define FX_LIBPQ_FUNCTIONS(X) \
    X(PGconn *, PQconnectdbParams, (const char *const *keywords, const char *const *values, int expand_dbname), (keywords, values, expand_dbname)) \
    X(ConnStatusType, PQstatus, (const PGconn *conn), (conn)) \
    X(int, PQbackendPID, (const PGconn *conn), (conn)) \
    X(int, PQsocket, (const PGconn *conn), (conn)) \
    X(char *, PQerrorMessage, (const PGconn *conn), (conn)) \
    X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn)) \
    X(int, PQsendQueryParams, (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat), (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat)) \
    X(int, PQsendQuery, (PGconn *conn, const char *query), (conn, query)) \
    X(int, PQconsumeInput, (PGconn *conn), (conn)) \
    X(int, PQisBusy, (PGconn *conn), (conn)) \
    X(PGresult *, PQgetResult, (PGconn *conn), (conn)) \
    X(ExecStatusType, PQresultStatus, (const PGresult *res), (res)) \
    X(int, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes)) \
    X(int, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg)) \
    X(int, PQnfields, (const PGresult *res), (res)) \
    X(int, PQntuples, (const PGresult *res), (res)) \
    X(char *, PQfname, (const PGresult *res, int field_num), (res, field_num)) \
    X(int, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(char *, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(int, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num)) \
    X(char *, PQcmdTuples, (PGresult *res), (res)) \
    X(char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode)) \
    X(char *, PQresultErrorMessage, (const PGresult *res), (res)) \
    X(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg)) \
    X(PGcancel *, PQgetCancel, (PGconn *conn), (conn)) \
    X(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize)) \
    X(PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))

// Those without a result.
#define FX_LIBPQ_PROCEDURES(X) \
    X(PQfinish, (PGconn *conn), (conn)) \
    X(PQclear, (PGresult *res), (res)) \
    X(PQfreeCancel, (PGcancel *cancel), (cancel)) \
    X(PQconninfoFree, (PQconninfoOption *connOptions), (connOptions)) \
    X(PQfreemem, (void *ptr), (ptr))

#define FX_LIBPQ_DECLARE_FUNCTION(type, name, parameters, arguments) type fx_##name parameters;
#define FX_LIBPQ_DECLARE_PROCEDURE(name, parameters, arguments) void fx_##name parameters;
FX_LIBPQ_FUNCTIONS(FX_LIBPQ_DECLARE_FUNCTION)
FX_LIBPQ_PROCEDURES(FX_LIBPQ_DECLARE_PROCEDURE)
#undef FX_LIBPQ_DECLARE_FUNCTION
#undef FX_LIBPQ_DECLARE_PROCEDURE

#endif
