package org.imgfn.core;

import java.util.concurrent.ThreadFactory;

/** Thread factories for helper pools that must not keep the process alive. */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Daemon threads, each named {@code name}. */
    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
