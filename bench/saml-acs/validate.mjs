// The peer of bench/saml-acs: @node-saml/node-saml (pinned in package.json) validating the very responses
// Gatehouse was sent, one after another in one process (Node runs JavaScript on one thread). Prints
// validations per second and per CPU-second.
// Usage: node validate.mjs <responses file: one base64 SAMLResponse per line> <IdP certificate PEM file> <SP entity ID> <warm-up count>
import { readFileSync } from "node:fs";
import { SAML } from "@node-saml/node-saml";

const [file, certFile, sp, warmupArg] = process.argv.slice(2);
const responses = readFileSync(file, "utf8").split("\n").filter((line) => line.length > 0);
const warmup = Number(warmupArg);
const saml = new SAML({
  idpCert: readFileSync(certFile, "utf8"),
  issuer: sp,
  audience: sp,
  callbackUrl: sp + "/acs",
  wantAssertionsSigned: true,
  wantAuthnResponseSigned: false,
  validateInResponseTo: "never",
  acceptedClockSkewMs: 90_000,
});

let failures = 0;
async function validate(list) {
  for (const SAMLResponse of list) {
    try {
      const { profile } = await saml.validatePostResponseAsync({ SAMLResponse });
      if (!profile || !profile.nameID) failures++;
    } catch (e) {
      if (failures++ === 0) console.error("first failure:", e.message);
    }
  }
}

await validate(responses.slice(0, warmup));
const measured = responses.slice(warmup);
failures = 0;
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
await validate(measured);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
console.log(`node-saml ${process.versions.node === undefined ? "" : "(node " + process.version + ")"}: ${measured.length} validations in ${seconds.toFixed(1)} s: ` +
  `${(measured.length / seconds).toFixed(0)}/s, ${(measured.length / cpuSeconds).toFixed(0)} per CPU-second, failures ${failures}`);
