#ifndef FXRATES_CLIBPQ_SHIM_H
#define FXRATES_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
