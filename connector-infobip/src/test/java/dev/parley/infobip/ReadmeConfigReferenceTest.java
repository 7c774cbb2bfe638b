package dev.parley.infobip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.spi.ConfigField;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's configuration reference lists every field the connector declares, with its flags. */
class ReadmeConfigReferenceTest {

    @Test
    void everyDeclaredFieldIsDocumented() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        InfobipSmsConnector connector = new InfobipSmsConnector();
        assertTrue(readme.contains("#### `" + connector.type() + "`"), "a section for " + connector.type());
        for (ConfigField f : connector.configFields()) {
            String row = readme.lines().filter(l -> l.startsWith("| `parley.connection.<id>." + f.name() + "` |"))
                    .findFirst().orElse(null);
            assertTrue(row != null, "README documents parley.connection.<id>." + f.name());
            String[] cells = row.split("\\|");
            assertTrue(cells[2].contains(f.required() ? "yes" : ""), f.name() + " required flag: " + row);
            assertTrue(f.secret() == cells[3].contains("yes"), f.name() + " secret flag: " + row);
            if (f.defaultValue() != null) {
                assertTrue(cells[4].contains("`" + f.defaultValue() + "`"), f.name() + " default: " + row);
            }
        }
    }
}
