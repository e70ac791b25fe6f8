#ifndef CEDITLINE_SHIM_H
#define CEDITLINE_SHIM_H

// libedit for the REPL's line editor.
//
// el_set, el_get and history are C variadic functions, which Swift cannot call
// ("Variadic function is unavailable"). Each operation Parley needs gets its own
// small wrapper below, with fixed argument types. Documentation of the wrapped
// calls: https://man.netbsd.org/editline.3
//
// Every wrapper is prefixed `ceditline_`.

#include <stdio.h>
#include <locale.h>
#include <wchar.h>
#include <histedit.h>

// MARK: Editing

// Wrapper around el_set(EL_PROMPT_ESC, ...), variadic. Text between two
// `literal` characters in the prompt is written as is and takes no columns, so
// colour escape sequences do not throw off libedit's cursor positioning.
static inline int ceditline_set_prompt_with_literals(EditLine *el, char *(*prompt)(EditLine *), char literal) {
    return el_set(el, EL_PROMPT_ESC, prompt, literal);
}

// Wrapper around el_set(EL_EDITOR, "emacs"), variadic.
static inline int ceditline_use_emacs_bindings(EditLine *el) {
    return el_set(el, EL_EDITOR, "emacs");
}

// Wrapper around el_set(EL_TERMINAL, ...), variadic. Selects the terminfo entry
// used for cursor motion; NULL means $TERM.
static inline int ceditline_set_terminal(EditLine *el, const char *name) {
    return el_set(el, EL_TERMINAL, name);
}

// Wrapper around el_set(EL_CLIENTDATA, ...), variadic. Carries the Swift
// session object to the C callbacks, which cannot capture context.
static inline int ceditline_set_client_data(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

// Wrapper around el_get(EL_CLIENTDATA, ...), variadic.
static inline void *ceditline_client_data(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) {
        return NULL;
    }
    return data;
}

// Wrapper around el_set(EL_GETCFN, ...), variadic. Parley reads characters
// itself so that it can wait on the input and a wake-up pipe at once (for text
// printed above the prompt, and for closing the editor).
static inline int ceditline_set_read_function(EditLine *el, int (*read)(EditLine *, wchar_t *)) {
    return el_set(el, EL_GETCFN, read);
}

// Wrapper around el_set(EL_ADDFN, ...), variadic. Adds a named editor command
// implemented in Swift.
static inline int ceditline_add_function(EditLine *el, const char *name, const char *help,
                                         unsigned char (*function)(EditLine *, int)) {
    return el_set(el, EL_ADDFN, name, help, function);
}

// Wrapper around el_set(EL_BIND, key, command, NULL), variadic.
static inline int ceditline_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, NULL);
}

// Wrapper around el_set(EL_SETTY, "-d", "-isig", NULL), variadic. While a line
// is edited, Ctrl-C must reach the editor as a key (cancel the line) instead of
// raising SIGINT, which would kill the process or need a process-wide handler.
static inline int ceditline_read_interrupt_as_key(EditLine *el) {
    return el_set(el, EL_SETTY, "-d", "-isig", NULL);
}

// Wrapper around el_set(EL_REFRESH), variadic. Redraws the prompt and the line
// from the current cursor position, after Parley printed text above them.
static inline int ceditline_redraw(EditLine *el) {
    return el_set(el, EL_REFRESH);
}

// Wrapper around el_get(EL_GETTC, "co", ...), variadic. The terminal's width in
// columns, or 0 when unknown.
static inline int ceditline_terminal_columns(EditLine *el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, NULL) != 0) {
        return 0;
    }
    return columns;
}

// Wrapper around el_set(EL_HIST, history, ...), variadic. Connects a history
// list to the editor for Up/Down and incremental search.
static inline int ceditline_set_history(EditLine *el, History *h) {
    return el_set(el, EL_HIST, history, h);
}

// MARK: History

// Wrapper around history(H_SETSIZE, ...), variadic.
static inline int ceditline_history_set_size(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}

// Wrapper around history(H_SETUNIQUE, ...), variadic. Keeps libedit from
// recording the same line twice in a row.
static inline int ceditline_history_set_unique(History *h, int unique) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, unique);
}

// Wrapper around history(H_ENTER, ...), variadic.
static inline int ceditline_history_enter(History *h, const char *line) {
    HistEvent event;
    return history(h, &event, H_ENTER, line);
}

// MARK: Locale

// Makes the calling thread (only) use UTF-8 character handling, so libedit
// decodes and displays non-ASCII text whatever the process locale is. The
// LC_CTYPE_MASK macro does not import into Swift. Returns 0 on success.
static inline int ceditline_use_utf8_on_this_thread(void) {
    locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    if (utf8 == (locale_t)0) {
        return -1;
    }
    uselocale(utf8);
    return 0;
}

// Returns the calling thread to the process locale and frees the one set by
// ceditline_use_utf8_on_this_thread. LC_GLOBAL_LOCALE does not import into Swift.
static inline void ceditline_end_utf8_on_this_thread(void) {
    locale_t previous = uselocale(LC_GLOBAL_LOCALE);
    if (previous != (locale_t)0 && previous != LC_GLOBAL_LOCALE) {
        freelocale(previous);
    }
}

#endif
