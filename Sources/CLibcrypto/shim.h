#ifndef FXRATES_CLIBCRYPTO_SHIM_H
#define FXRATES_CLIBCRYPTO_SHIM_H

#include <openssl/evp.h>

#endif
