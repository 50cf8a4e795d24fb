package org.imgfn.bench;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Serves images for experiments (on loopback unless --bind says otherwise), until interrupted. */
@Command(name = "images", mixinStandardHelpOptions = true,
        description = "Serve /files/NAME from a folder and /synthetic/SIZE.jpg on 127.0.0.1 (or --bind) until Ctrl-C.")
final class ImagesCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "9000", description = "Port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", converter = AddressConverter.class,
            description = "Address to listen on, e.g. 10.62.0.1 (faasd's bridge: functions fetch from it) or 0.0.0.0 "
                    + "(default: ${DEFAULT-VALUE})")
    InetAddress bind;

    @Option(names = "--dir", defaultValue = "docs/examples", description = "Folder served under /files/ (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws InterruptedException {
        try (ImageServer server = new ImageServer(dir.toAbsolutePath().normalize(), port, bind)) {
            System.err.println("serving " + dir + " at " + server.url("/files/") + " and " + server.url("/synthetic/SIZE.jpg"));
            new CountDownLatch(1).await();
        }
        return 0;
    }

    /** A literal IP address only: a name would need a resolver, and is refused. */
    static final class AddressConverter implements picocli.CommandLine.ITypeConverter<InetAddress> {
        @Override
        public InetAddress convert(String value) throws Exception {
            if (!value.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
                throw new picocli.CommandLine.TypeConversionException("not an IP address: " + value);
            }
            return InetAddress.getByName(value);
        }
    }
}
