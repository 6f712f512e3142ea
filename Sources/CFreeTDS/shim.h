#ifndef FERRY_CFREETDS_SHIM_H
#define FERRY_CFREETDS_SHIM_H
/* db-lib: sybfront.h must precede sybdb.h. Debian's freetds-dev ships no pkg-config file. */
#include <sybfront.h>
#include <sybdb.h>
#endif
