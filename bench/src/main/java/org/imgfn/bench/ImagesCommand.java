package org.imgfn.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves images on loopback for local experiments, until interrupted. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Serve /files/NAME from a folder and /synthetic/SIZE.jpg on 127.0.0.1 until Ctrl-C.")
final class ImagesCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9000", description = "Port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--dir", defaultValue = "docs/examples", description = "Folder served under /files/ (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws InterruptedException {
        try (ImageServer server = new ImageServer(dir.toAbsolutePath().normalize(), port)) {
            System.err.println("serving " + dir + " at " + server.url("/files/") + " and " + server.url("/synthetic/SIZE.jpg"));
            new CountDownLatch(1).await();
        }
        return 0;
    }
}
