import assert from "node:assert/strict";
import { test } from "node:test";
import { asksForSecret } from "./secret-prompt.js";

test("asksForSecret: password, passcode, PIN and passphrase prompts at the end of the line", () => {
  for (const line of [
    "Password: ",
    "Password:",
    "password :",
    "Passcode:",
    "Enter PIN: ",
    "PIN code:",
    "Old passwd:",
    "[sudo] password for demo: ",
    "demo@10.0.0.1's password: ",
    "Enter passphrase for key '/root/.ssh/id_ed25519': ",
    "Passwort: ",
    "Mot de passe : ",
  ])
    assert.equal(asksForSecret(line), true, JSON.stringify(line));
});

test("asksForSecret: not a prompt for a secret", () => {
  for (const line of [
    "lab login: ",
    "Username:",
    "Password changed successfully",
    "Password: hunter2",
    "Spin: ",
    "Opinion:",
    "router1# ",
    "",
    `${"x".repeat(200)} Password: `,
  ])
    assert.equal(asksForSecret(line), false, JSON.stringify(line));
});
