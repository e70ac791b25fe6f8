#ifndef CJAVASCRIPTCORE_SHIM_H
#define CJAVASCRIPTCORE_SHIM_H

#include <stdbool.h>
#include <JavaScriptCore/JavaScript.h>

// Execution time limits.
//
// libjavascriptcoregtk-4.1 exports these two functions, but their header
// (JSContextRefPrivate.h) is not installed by the -dev package. They are the only way to stop a
// runaway script (`while (true) {}`) from the C API, so they are declared here exactly as
// WebKit's JSContextRefPrivate.h declares them. They are the library's own symbols, so they
// keep their names.
//
// The limit is in seconds and applies to each entry into JavaScript from the C API. When it is
// reached, `callback` is called on the thread running the script; returning true terminates the
// script (the evaluation then fails with an exception), returning false grants another period.
// A NULL callback terminates unconditionally.
typedef bool (*JSShouldTerminateCallback)(JSContextRef ctx, void *context);

JS_EXPORT void JSContextGroupSetExecutionTimeLimit(
    JSContextGroupRef group, double limit, JSShouldTerminateCallback callback, void *context);

JS_EXPORT void JSContextGroupClearExecutionTimeLimit(JSContextGroupRef group);

#endif
