#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
/* From term.h (not included whole: its macros clash with common names). */
extern int setupterm(const char *term, int filedes, int *errret);
