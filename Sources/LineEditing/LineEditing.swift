// Line editing for the REPL.
