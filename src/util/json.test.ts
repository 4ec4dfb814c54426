import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toJson } from "./json.js";

describe("toJson: numbers without float noise", () => {
  test("milliseconds to 3 decimals, confidences to 2, whole numbers and text untouched", () => {
    const out = toJson({
      t: 1.3130000000000002,
      durationMs: 2.9850000000000003,
      rttMs: [0.12345, 2],
      diagnosis: { confidence: 0.8333333, alternatives: [{ confidence: 0.1 }] },
      bytesIn: 512,
      text: "1.23456",
    });
    assert.equal(
      out,
      '{"t":1.313,"durationMs":2.985,"rttMs":[0.123,2],"diagnosis":{"confidence":0.83,"alternatives":[{"confidence":0.1}]},"bytesIn":512,"text":"1.23456"}',
    );
  });

  test("a value too small to show becomes 0; null and non-finite numbers stay as JSON has them", () => {
    assert.equal(toJson({ a: 0.0004, b: null, c: Number.NaN }), '{"a":0,"b":null,"c":null}');
  });
});
