#!/usr/bin/env python3
"""Trims one of Infobip's published OpenAPI specs to the operations Parley calls.

Keeps the named operations whole, every component they reference (transitively) and the security schemes
they name; drops the rest (other paths, webhooks, unused components and tags). The result declares
OpenAPI 3.0.3 instead of 3.1.0, because the request validator the tests use (Atlassian's
swagger-request-validator) implements 3.0: on a 3.1 document it silently skips type checks. That is only
correct when the kept part uses nothing of 3.1, so the script refuses to write a document that does.

Usage (from the repository root; the exact commands and sources are in src/test/resources/openapi/README.md):

  python3 connector-infobip/src/test/openapi/trim.py SOURCE.json OUT.json \\
      --source-name "Infobip's published SMS spec (...)" \\
      --date 2026-11-30 --op "post /sms/3/messages" --op "get /sms/3/logs"
"""
import argparse
import json
import sys

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# JSON Schema keywords (or forms) that OpenAPI 3.0 does not have.
ONLY_31 = {"const", "$defs", "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired",
           "dependentSchemas", "contentMediaType", "contentEncoding", "if", "then", "else", "$anchor",
           "$dynamicRef", "$dynamicAnchor", "propertyNames", "contains", "minContains", "maxContains"}


def pointer(doc, ref):
    if not ref.startswith("#/"):
        sys.exit("external $ref not supported: " + ref)
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node, found):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                found.add(v)
            elif k == "mapping" and isinstance(v, dict) and all(isinstance(x, str) for x in v.values()):
                found.update(v.values())  # a discriminator's subtypes: referenced only from here
            else:
                refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def nodes_in(node, path, out):
    """Collects (path, object) for every JSON object under node, not descending into examples or x- extensions."""
    if isinstance(node, dict):
        out.append((path, node))
        for k, v in node.items():
            if k in ("example", "examples") or k.startswith("x-"):
                continue
            nodes_in(v, path + "/" + k, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            nodes_in(v, path + "/" + str(i), out)


def check_30(doc):
    """What in doc is OpenAPI 3.1 only (and would be misread as 3.0); empty when nothing."""
    problems = []
    nodes = []
    nodes_in(doc["paths"], "#/paths", nodes)
    nodes_in(doc.get("components", {}), "#/components", nodes)
    for path, node in nodes:
        if path.endswith("/properties"):
            continue  # its keys are property names
        t = node.get("type")
        if isinstance(t, list) or t == "null":
            problems.append(path + ": type " + json.dumps(t))
        for k in ("exclusiveMinimum", "exclusiveMaximum"):
            if k in node and not isinstance(node[k], bool):
                problems.append(path + ": numeric " + k)
        if "$ref" in node and any(k not in ("$ref", "description", "summary") for k in node):
            problems.append(path + ": $ref with siblings " + ", ".join(k for k in node if k != "$ref"))
        for k in node:
            if k in ONLY_31:
                problems.append(path + ": keyword " + k)
        if isinstance(node.get("examples"), list):
            problems.append(path + ": schema examples (3.1)")
    if "pathItems" in doc.get("components", {}):
        problems.append("#/components/pathItems")
    if "webhooks" in doc:
        problems.append("#/webhooks")
    return problems


def plain_schema_names(doc):
    """Infobip prefixes some schema names with a hash and a dot ("f30d...e2.TemplateTextHeaderContent"). The validator's
    JSON Schema library refuses a discriminator mapping to such a name ("values must be valid schema refs or
    shortnames"), so names with a dot lose the prefix when the short name stays unique. Returns the document and how
    many names changed; the description says so."""
    schemas = doc.get("components", {}).get("schemas", {})
    short = {}
    for name in schemas:
        plain = name.rsplit(".", 1)[-1]
        short.setdefault(plain, []).append(name)
    rename = {name: plain for plain, names in short.items() if len(names) == 1 for name in names if name != plain}
    if not rename:
        return doc, 0
    text = json.dumps(doc)
    for old, new in rename.items():
        text = text.replace("#/components/schemas/" + old + '"', "#/components/schemas/" + new + '"')
    doc = json.loads(text)
    doc["components"]["schemas"] = {rename.get(k, k): v for k, v in doc["components"]["schemas"].items()}
    doc["info"]["description"] = doc["info"]["description"].replace(
        " nothing else is changed.",
        " Schema names lost their hash prefix (%d names; the validator refuses discriminator mappings to dotted names);"
        " nothing else is changed." % len(rename))
    return doc, len(rename)


def unique_enums(doc):
    """Some Infobip enums list values twice (the Conversations spec's ContentType, MessageChannel, ...): invalid JSON
    Schema ("array must not contain duplicate elements"), and the validator's schema library then refuses the whole
    request body schema. Repeated values are dropped, keeping the first occurrence (the set of allowed values is the
    same); the description says how many enums changed. Examples are left alone."""
    changed = []

    def walk(node):
        if isinstance(node, dict):
            e = node.get("enum")
            if isinstance(e, list):
                seen, unique = set(), []
                for v in e:
                    key = json.dumps(v, sort_keys=True)
                    if key not in seen:
                        seen.add(key)
                        unique.append(v)
                if len(unique) != len(e):
                    node["enum"] = unique
                    changed.append(1)
            for k, v in node.items():
                if k not in ("example", "examples"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc["paths"])
    walk(doc.get("components", {}))
    if changed:
        doc["info"]["description"] = doc["info"]["description"].replace(
            " nothing else is changed.",
            " Enums listing a value twice lost the repeats (%d enums; invalid JSON Schema the validator cannot load);"
            " nothing else is changed." % len(changed))
    return doc, len(changed)


def distinct_one_of(doc):
    """A oneOf whose variants are the same schema under two names (Subscriptions Management's AgentOsSubscriptionRequest
    and CustomerEngagementSubscriptionRequest: the same fields and the same six CONVERSATION_* events) makes every body
    of either match twice, and "exactly one" can never hold: the spec tells them apart only by the path's {channel},
    which JSON Schema cannot see. Later variants equal to an earlier one (compared with $refs resolved and titles and
    descriptions ignored) are dropped; the set of valid bodies is unchanged. The description says how many."""
    changed = []
    schemas = doc.get("components", {}).get("schemas", {})

    def resolved(node, depth=0):
        if depth > 20:
            return node
        if isinstance(node, dict):
            if "$ref" in node and node["$ref"].startswith("#/components/schemas/"):
                return resolved(schemas[node["$ref"].split("/")[-1]], depth + 1)
            return {k: resolved(v, depth + 1) for k, v in node.items() if k not in ("title", "description", "example", "examples")}
        if isinstance(node, list):
            return [resolved(v, depth + 1) for v in node]
        return node

    def walk(node):
        if isinstance(node, dict):
            o = node.get("oneOf")
            if isinstance(o, list):
                seen, kept = [], []
                for v in o:
                    key = json.dumps(resolved(v), sort_keys=True)
                    if key in seen:
                        changed.append(v.get("$ref", "?"))
                    else:
                        seen.append(key)
                        kept.append(v)
                node["oneOf"] = kept
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    if changed:
        doc["info"]["description"] = doc["info"]["description"].replace(
            " nothing else is changed.",
            " oneOf variants identical to an earlier one are dropped (%s: no body can match exactly one of two equal"
            " schemas); nothing else is changed." % ", ".join(sorted(r.split("/")[-1] for r in changed)))
    return doc, len(changed)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source")
    p.add_argument("out")
    p.add_argument("--op", action="append", required=True, help='"<method> <path>", repeatable')
    p.add_argument("--source-name", required=True, help="where the source file comes from, for the note")
    p.add_argument("--date", required=True, help="the day of trimming, for the note")
    a = p.parse_args()

    src = json.load(open(a.source, encoding="utf-8"))
    paths = {}
    kept_ops = []
    for spec in a.op:
        method, path = spec.split(None, 1)
        method = method.lower()
        if method not in METHODS or path not in src["paths"] or method not in src["paths"][path]:
            sys.exit("no operation " + spec + " in " + a.source)
        item = paths.setdefault(path, {})
        for k, v in src["paths"][path].items():
            if k not in METHODS:
                item[k] = v  # path-level parameters, summary
        item[method] = src["paths"][path][method]
        kept_ops.append(item[method])

    # Components: everything the kept paths reference, transitively, plus the named security schemes.
    found = set()
    refs(paths, found)
    done = set()
    while found - done:
        r = sorted(found - done)[0]
        done.add(r)
        refs(pointer(src, r), found)
    components = {}
    for r in sorted(done):
        _, _, kind, name = r.split("/", 3)
        components.setdefault(kind, {})[name] = pointer(src, r)
    security = set()
    for op in kept_ops:
        for requirement in op.get("security", src.get("security", [])):
            security.update(requirement)
    for name in sorted(security):
        components.setdefault("securitySchemes", {})[name] = src["components"]["securitySchemes"][name]
    tags = {t for op in kept_ops for t in op.get("tags", [])}

    info = dict(src["info"])
    info["description"] = (
        "TRIMMED COPY for Parley's contract tests, not the whole API. Source: " + a.source_name
        + ", info.version " + src["info"]["version"]
        + (", x-generatedAt " + src["info"]["x-generatedAt"] if "x-generatedAt" in src["info"] else "")
        + ". Trimmed " + a.date + " by connector-infobip/src/test/openapi/trim.py to " + ", ".join(a.op)
        + " and the components they reference. Declared OpenAPI 3.0.3 instead of " + src["openapi"]
        + " (the validator implements 3.0; the script checked that the kept part uses nothing of 3.1);"
        + " nothing else is changed. Original description: " + src["info"].get("description", ""))
    out = {"openapi": "3.0.3", "info": info}
    if "tags" in src:
        out["tags"] = [t for t in src["tags"] if t.get("name") in tags]
    if "security" in src:
        out["security"] = src["security"]
    out["paths"] = paths
    out["components"] = components

    out, renamed = plain_schema_names(out)
    out, deduplicated = unique_enums(out)
    out, merged = distinct_one_of(out)

    problems = check_30(out)
    if problems:
        sys.exit("the kept part uses OpenAPI 3.1 features, so it cannot be declared 3.0.3:\n  " + "\n  ".join(problems))
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%s: %d operation(s), %d component(s)" % (a.out, len(kept_ops), sum(len(v) for v in components.values())))


if __name__ == "__main__":
    main()
