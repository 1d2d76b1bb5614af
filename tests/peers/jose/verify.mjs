// Independent check of a Mimi.Discovery mapping assertion with panva/jose.
// usage: node verify.mjs <jwks.json> <token-file> <issuer>
// Prints the verified payload as JSON on stdout; exits 1 with the reason on stderr.
import { readFile } from 'node:fs/promises';
import { createLocalJWKSet, jwtVerify } from 'jose';

const [jwksPath, tokenPath, issuer] = process.argv.slice(2);
if (!jwksPath || !tokenPath || !issuer) {
  console.error('usage: node verify.mjs <jwks.json> <token-file> <issuer>');
  process.exit(2);
}

try {
  const jwks = createLocalJWKSet(JSON.parse(await readFile(jwksPath, 'utf8')));
  const token = (await readFile(tokenPath, 'utf8')).trim();
  const { payload, protectedHeader } = await jwtVerify(token, jwks, {
    issuer,
    algorithms: ['ES256'],
    typ: 'mimi-mapping+jwt',
  });
  process.stdout.write(JSON.stringify({ header: protectedHeader, payload }));
} catch (error) {
  console.error(`${error.code ?? 'ERROR'}: ${error.message}`);
  process.exit(1);
}
