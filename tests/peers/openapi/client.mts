// A client generated from the service's live OpenAPI document (openapi-typescript types, openapi-fetch calls),
// type-checked by tsc in strict mode and then run: if the document misdescribes a route, this fails to compile or
// fails here. Arguments: the service's URL, an operator access token, an enrolled provider's domain.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Problem = components["schemas"]["ProblemDetails"];

// Node's globals, without a dependency on @types/node for one variable.
declare const process: { argv: string[] };

function check(condition: unknown, message: string): asserts condition {
  if (!condition) {
    throw new Error(message);
  }
}

const [baseUrl, token, provider] = process.argv.slice(2);
check(baseUrl && token && provider, "usage: client.mjs URL TOKEN PROVIDER");
const api = createClient<paths>({ baseUrl });

// Public, text: the signed checkpoint (origin, size, root, blank line, signature).
const checkpoint = await api.GET("/log/checkpoint", { parseAs: "text" });
check(checkpoint.response.status === 200 && typeof checkpoint.data === "string", `checkpoint: HTTP ${checkpoint.response.status}`);
const [origin, sizeLine] = checkpoint.data.split("\n");
const size = Number(sizeLine);
check(origin && size > 0, `checkpoint: no origin or an empty tree in ${JSON.stringify(checkpoint.data)}`);

// Public, binary, in the tile route's C2SP shape: the partial level-0 tile holds one hash per entry.
const tile = await api.GET("/log/tile/{L}/{N}.p/{W}", { params: { path: { L: 0, N: "000", W: size } }, parseAs: "arrayBuffer" });
check(tile.data?.byteLength === 32 * size, `tile: HTTP ${tile.response.status}, ${tile.data?.byteLength} bytes for ${size} entries`);

// Authenticated (bearer, operator): the enrolled providers.
const providers = await api.GET("/v1/providers", { headers: { Authorization: `Bearer ${token}` } });
check(providers.data !== undefined && providers.data.some(p => p.domain === provider), `providers: HTTP ${providers.response.status}, ${provider} not listed`);

// The same call without a token: a typed RFC 9457 problem.
const refused = await api.GET("/v1/providers");
const problem: Problem | undefined = refused.error;
check(refused.response.status === 401 && problem?.type === "urn:mimi-discovery:problem:unauthenticated",
  `unauthenticated: HTTP ${refused.response.status}, ${JSON.stringify(problem)}`);

console.log(JSON.stringify({ origin, size, providers: providers.data.length, problem: problem.type }));
