#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/curses.h>
/* From term.h (not included whole: its macros clash with common names). */
extern int setupterm(const char *term, int filedes, int *errret);
/* The TERMINAL a setupterm probe made, released so that initscr's own is the only one
   (FullScreenTerminal.check probes TERM before initscr). */
struct term;
extern struct term *set_curterm(struct term *);
extern int del_curterm(struct term *);
static inline void sp_release_probe_terminal(void) {
    struct term *probe = set_curterm(0);
    if (probe) del_curterm(probe);
}
