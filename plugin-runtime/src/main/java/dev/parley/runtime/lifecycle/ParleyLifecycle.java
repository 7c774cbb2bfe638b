package dev.parley.runtime.lifecycle;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** Starts and stops Parley with the web module; declared in parley-war's web.xml. */
public class ParleyLifecycle implements ServletContextListener {

    @Inject
    ParleyStartup startup;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        dev.parley.runtime.logging.ContextLogHandler.install();
        startup.start();
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        try {
            startup.stop();
        } finally {
            dev.parley.runtime.persistence.ConfiguredDataSource.releasePackagedDrivers();
            dev.parley.runtime.logging.ContextLogHandler.uninstall();
        }
    }
}
