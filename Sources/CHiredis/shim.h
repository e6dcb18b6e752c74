#ifndef PORTICO_CHIREDIS_SHIM_H
#define PORTICO_CHIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <hiredis/read.h>
#endif
