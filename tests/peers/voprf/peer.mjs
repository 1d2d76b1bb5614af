// Independent RFC 9497 peer for the Mimi.Discovery.Oprf interoperability tests, on @cloudflare/voprf-ts.
// Usage (all byte strings in hex, results as one JSON object on stdout):
//   node peer.mjs blind    <mode> <publicKey|-> <input>[,<input>...]   -> { request, finalizeData }
//   node peer.mjs finalize <mode> <publicKey|-> <finalizeData> <evaluation> -> { outputs: [...] }
//   node peer.mjs evaluate <mode> <privateKey> <request>               -> { evaluation }
//   node peer.mjs prf      <mode> <privateKey> <input>                 -> { output }
//   node peer.mjs derive   <mode> <seed> <info>                        -> { privateKey, publicKey }
// <mode> is "oprf" or "voprf". A failure (for example a proof that does not verify) exits with code 1.
import {
    Evaluation,
    EvaluationRequest,
    FinalizeData,
    Oprf,
    OPRFClient,
    OPRFServer,
    VOPRFClient,
    VOPRFServer,
    deriveKeyPair,
} from '@cloudflare/voprf-ts';

const suite = Oprf.Suite.P256_SHA256;
const hex = (bytes) => Buffer.from(bytes).toString('hex');
const bytes = (text) => new Uint8Array(Buffer.from(text, 'hex'));

function parseMode(name) {
    switch (name) {
        case 'oprf':
            return Oprf.Mode.OPRF;
        case 'voprf':
            return Oprf.Mode.VOPRF;
        default:
            throw new Error(`unknown mode ${name}`);
    }
}

function client(mode, publicKey) {
    return mode === Oprf.Mode.VOPRF ? new VOPRFClient(suite, bytes(publicKey)) : new OPRFClient(suite);
}

function server(mode, privateKey) {
    return mode === Oprf.Mode.VOPRF ? new VOPRFServer(suite, bytes(privateKey)) : new OPRFServer(suite, bytes(privateKey));
}

async function run([command, modeName, ...args]) {
    const mode = parseMode(modeName);
    switch (command) {
        case 'blind': {
            const [publicKey, inputs] = args;
            const [finalizeData, request] = await client(mode, publicKey).blind(inputs.split(',').map(bytes));
            return { request: hex(request.serialize()), finalizeData: hex(finalizeData.serialize()) };
        }
        case 'finalize': {
            const [publicKey, finalizeData, evaluation] = args;
            const outputs = await client(mode, publicKey).finalize(
                FinalizeData.deserialize(suite, bytes(finalizeData)),
                Evaluation.deserialize(suite, bytes(evaluation)),
            );
            return { outputs: outputs.map(hex) };
        }
        case 'evaluate': {
            const [privateKey, request] = args;
            const evaluation = await server(mode, privateKey).blindEvaluate(EvaluationRequest.deserialize(suite, bytes(request)));
            return { evaluation: hex(evaluation.serialize()) };
        }
        case 'prf': {
            const [privateKey, input] = args;
            return { output: hex(await server(mode, privateKey).evaluate(bytes(input))) };
        }
        case 'derive': {
            const [seed, info] = args;
            const pair = await deriveKeyPair(mode, suite, bytes(seed), bytes(info));
            return { privateKey: hex(pair.privateKey), publicKey: hex(pair.publicKey) };
        }
        default:
            throw new Error(`unknown command ${command}`);
    }
}

try {
    process.stdout.write(JSON.stringify(await run(process.argv.slice(2))) + '\n');
} catch (error) {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
}
