package io.minimq.agent.system;

import java.nio.file.Path;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Host mode: points OSHI at a host {@code /proc} (and {@code /sys}) mounted into a container.
 *
 * <p>OSHI reads {@code oshi.util.proc.path} and {@code oshi.util.sys.path} once, when its
 * configuration class loads, so they must be system properties before any OSHI class is touched.
 * An environment post-processor runs after the application's configuration is loaded
 * ({@code application.properties}, arguments, environment variables) and long before any bean, which
 * is exactly that window. A property already given with {@code -D} wins.
 */
public class HostPathsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String HOST_PROC = "minimq.agent.host-proc";
    static final String HOST_SYS = "minimq.agent.host-sys";

    private final Log log;

    public HostPathsEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(HostPathsEnvironmentPostProcessor.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String proc = environment.getProperty(HOST_PROC);
        if (proc != null && !proc.isBlank()) {
            Path procPath = HostPaths.requireDirectory(HOST_PROC, proc, "stat");
            HostPaths.useProc(procPath);
            log.info("Host mode: reading host metrics from " + procPath);
        }
        String sys = environment.getProperty(HOST_SYS);
        if (sys != null && !sys.isBlank()) {
            HostPaths.useSys(HostPaths.requireDirectory(HOST_SYS, sys, null));
        }
    }

    @Override
    public int getOrder() {
        // after ConfigDataEnvironmentPostProcessor has loaded application.properties
        return Ordered.LOWEST_PRECEDENCE;
    }
}
