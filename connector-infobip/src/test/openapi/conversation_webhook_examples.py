#!/usr/bin/env python3
"""Builds src/test/resources/infobip/conversations-webhook-examples.json from Infobip's common-assets spec.

The spec's conversation-event-webhook has no whole-body example, only property-level `example` values. This script
assembles one body per discriminator type (23) from them: each property's `example`; where a schema has none, the first
`enum` value; `Message.content` (typed object, no example) stays `{}`. Nothing is invented beyond that.

  python3 connector-infobip/src/test/openapi/conversation_webhook_examples.py $S/infobip-common-assets.json \\
      connector-infobip/src/test/resources/infobip/conversations-webhook-examples.json
"""
import json
import sys


def main(source, out):
    s = json.load(open(source, encoding="utf-8"))
    sc = s["components"]["schemas"]

    def res(ref):
        return sc[ref.split("/")[-1]]

    def gen(schema):
        if "$ref" in schema:
            return gen(res(schema["$ref"]))
        if "allOf" in schema:
            out = {}
            for part in schema["allOf"]:
                v = gen(part)
                if isinstance(v, dict):
                    out.update(v)
            return out
        if "example" in schema and not isinstance(schema["example"], dict):
            return schema["example"]  # also Note.content: typed object, its example a string
        if schema.get("type") == "object" or "properties" in schema:
            out = {}
            for k, v in schema.get("properties", {}).items():
                if k == "type" and "discriminator" in schema:
                    continue
                val = gen(v)
                if val is not None:
                    out[k] = val
            return out
        if schema.get("type") == "array":
            v = gen(schema["items"])
            return [] if v is None else [v]
        if "enum" in schema:
            return schema["enum"][0]
        return None

    op = s["webhooks"]["conversation-event-webhook"]["post"]
    report = res(op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
    examples = {}
    for typ, ref in report["discriminator"]["mapping"].items():
        body = gen(res(ref))
        examples[typ] = {"type": typ, "timestamp": body["timestamp"], "payload": body["payload"]}
    doc = {
        "_source": "Infobip's published OpenAPI spec 'common-assets' (info.version " + s["info"]["version"]
        + ", x-generatedAt " + s["info"].get("x-generatedAt", "?") + "), webhook conversation-event-webhook "
        "(schema ConversationWebhookReport, discriminator 'type', " + str(len(examples)) + " types). The spec has NO "
        "whole-body example of this webhook: each body here is assembled by "
        "connector-infobip/src/test/openapi/conversation_webhook_examples.py from the spec's own property-level "
        "'example' values (the first enum value where a property has none; Message.content, typed object without "
        "example, is {}). Values are the spec's, including its inconsistencies (INBOUND_MESSAGE's payload.id differs "
        "from its message.conversationId).",
        "examples": examples,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("%s: %d examples" % (out, len(examples)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
