package dev.parley.runtime.bot.embedded;

import dev.parley.runtime.bot.embedded.BotDefinition.Button;
import dev.parley.runtime.bot.embedded.BotDefinition.Dialog;
import dev.parley.runtime.bot.embedded.BotDefinition.Intent;
import dev.parley.runtime.bot.embedded.BotDefinition.Keyword;
import dev.parley.runtime.bot.embedded.BotDefinition.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads a bot definition from YAML or JSON (JSON is YAML, so one parser). It works on snakeyaml-engine's node
 * tree rather than on plain maps so every complaint can say where: an unknown key, a duplicate key or a value
 * of the wrong kind is a {@link DefinitionException} naming the key, its location (like
 * {@code dialogs[welcome].messages[1]}) and its line and column. Strict on purpose: a misspelt key silently
 * ignored is a bot that misbehaves in production.
 *
 * <p>A message may be written as a plain string when it has neither buttons nor a handoff nor a resolve.
 */
final class DefinitionParser {

    private static final LoadSettings SETTINGS = LoadSettings.builder().setLabel("bot definition").build();

    private DefinitionParser() {
    }

    static BotDefinition parse(String text) {
        Node root;
        try {
            root = new Compose(SETTINGS).composeString(text == null ? "" : text)
                    .orElseThrow(() -> new DefinitionException("the bot definition is empty", 0, 0));
        } catch (MarkedYamlEngineException e) {
            Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
            throw new DefinitionException("syntax error: " + e.getProblem(),
                    mark.map(m -> m.getLine() + 1).orElse(0), mark.map(m -> m.getColumn() + 1).orElse(0));
        } catch (YamlEngineException e) {
            throw new DefinitionException("syntax error: " + e.getMessage(), 0, 0);
        }
        Fields top = new Fields(root, "definition");
        top.allowOnly("name", "channel", "sender", "language", "welcome", "fallback", "knowledge", "intents",
                "keywords", "dialogs");
        return new BotDefinition(top.text("name"), top.text("channel"), top.text("sender"), top.text("language"),
                top.text("welcome"), top.text("fallback"), top.flag("knowledge", true),
                top.list("intents", "name", DefinitionParser::intent),
                top.list("keywords", "keyword", DefinitionParser::keyword),
                top.list("dialogs", "id", DefinitionParser::dialog));
    }

    private static Intent intent(Node node, String path) {
        Fields f = new Fields(node, path);
        f.allowOnly("name", "phrases", "dialog", "handoff", "resolve");
        return new Intent(f.text("name"), f.list("phrases", null, DefinitionParser::requiredText), f.text("dialog"),
                f.flag("handoff", false), f.flag("resolve", false));
    }

    private static Keyword keyword(Node node, String path) {
        Fields f = new Fields(node, path);
        f.allowOnly("keyword", "dialog");
        return new Keyword(f.text("keyword"), f.text("dialog"));
    }

    private static Dialog dialog(Node node, String path) {
        Fields f = new Fields(node, path);
        f.allowOnly("id", "messages");
        return new Dialog(f.text("id"), f.list("messages", null, DefinitionParser::message));
    }

    private static Message message(Node node, String path) {
        if (node instanceof ScalarNode) {
            return new Message(requiredText(node, path), List.of(), false);
        }
        Fields f = new Fields(node, path);
        f.allowOnly("text", "buttons", "handoff", "resolve");
        return new Message(f.text("text"), f.list("buttons", null, DefinitionParser::button), f.flag("handoff", false),
                f.flag("resolve", false));
    }

    private static Button button(Node node, String path) {
        Fields f = new Fields(node, path);
        f.allowOnly("caption", "postback", "url");
        return new Button(f.text("caption"), f.text("postback"), f.text("url"));
    }

    private static String requiredText(Node node, String path) {
        String value = text(node, path);
        if (value == null) {
            throw error("expected text at " + path, node);
        }
        return value;
    }

    /** A scalar's text; null for an explicit null. Numbers and booleans are taken as the text they are written as. */
    private static String text(Node node, String path) {
        if (!(node instanceof ScalarNode)) {
            throw error("expected text at " + path + ", found a " + kind(node), node);
        }
        return node.getTag().equals(Tag.NULL) ? null : ((ScalarNode) node).getValue();
    }

    private static String kind(Node node) {
        return node instanceof MappingNode ? "mapping" : node instanceof SequenceNode ? "list" : "value";
    }

    private static DefinitionException error(String message, Node node) {
        Optional<Mark> mark = node.getStartMark();
        return new DefinitionException(message, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0));
    }

    /** One YAML mapping, with the location it is reported under. */
    private static final class Fields {
        private final String path;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

        Fields(Node node, String path) {
            this.path = path;
            if (!(node instanceof MappingNode)) {
                throw error("expected a mapping at " + path + ", found a " + kind(node), node);
            }
            for (NodeTuple t : ((MappingNode) node).getValue()) {
                String key = requiredText(t.getKeyNode(), path);
                if (entries.putIfAbsent(key, t) != null) {
                    throw error("duplicate key '" + key + "' in " + path, t.getKeyNode());
                }
            }
        }

        void allowOnly(String... keys) {
            Set<String> allowed = Set.of(keys);
            for (NodeTuple t : entries.values()) {
                String key = ((ScalarNode) t.getKeyNode()).getValue();
                if (!allowed.contains(key)) {
                    throw error("unknown key '" + key + "' in " + path + " (known: " + String.join(", ", keys) + ")",
                            t.getKeyNode());
                }
            }
        }

        String text(String key) {
            NodeTuple t = entries.get(key);
            return t == null ? null : DefinitionParser.text(t.getValueNode(), path + "." + key);
        }

        boolean flag(String key, boolean absent) {
            NodeTuple t = entries.get(key);
            if (t == null || t.getValueNode().getTag().equals(Tag.NULL)) {
                return absent;
            }
            String value = DefinitionParser.text(t.getValueNode(), path + "." + key).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                throw error("expected true or false at " + path + "." + key, t.getValueNode());
            }
            return Boolean.parseBoolean(value);
        }

        /**
         * A list whose items are read by {@code item}; each item is located as {@code key[<its idKey>]} when it
         * has that id, else {@code key[<index>]}.
         */
        <T> List<T> list(String key, String idKey, BiFunction<Node, String, T> item) {
            NodeTuple t = entries.get(key);
            if (t == null || t.getValueNode().getTag().equals(Tag.NULL)) {
                return List.of();
            }
            String listPath = path + "." + key;
            if (!(t.getValueNode() instanceof SequenceNode)) {
                throw error("expected a list at " + listPath + ", found a " + kind(t.getValueNode()), t.getValueNode());
            }
            List<Node> nodes = ((SequenceNode) t.getValueNode()).getValue();
            List<T> out = new ArrayList<>(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                out.add(item.apply(nodes.get(i), itemPath(key, idKey, nodes.get(i), i)));
            }
            return out;
        }

        private String itemPath(String key, String idKey, Node node, int index) {
            String prefix = path.equals("definition") ? "" : path + ".";
            if (idKey != null && node instanceof MappingNode) {
                for (NodeTuple t : ((MappingNode) node).getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(idKey)
                            && t.getValueNode() instanceof ScalarNode v && !v.getTag().equals(Tag.NULL)) {
                        return prefix + key + "[" + v.getValue() + "]";
                    }
                }
            }
            return prefix + key + "[" + index + "]";
        }
    }
}
