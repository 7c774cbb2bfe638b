package dev.parley.runtime.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ConfiguredDataSourceTest {

    @Test
    void packagedDriversAreKeyedByTheUrlsScheme() {
        assertEquals("jdbc:postgresql:", ConfiguredDataSource.scheme("jdbc:postgresql://db:5432/parley?ssl=true"));
        assertEquals("jdbc:h2:", ConfiguredDataSource.scheme(ConfiguredDataSource.DEFAULT_URL));
        assertEquals("jdbc:", ConfiguredDataSource.scheme("jdbc:"));
    }
}
