// Real MLS clients (ts-mls, RFC 9420) for the protocol and delivery end-to-end tests.
//
// A long-running process speaking JSON lines: one request object per line on stdin, one response per line on
// stdout, in the order the requests came. Every request has an `id` (echoed back) and an `op`; a failure answers
// `{ id, error }` and the process keeps running. Byte strings travel as base64; group ids as UTF-8 text (MIMI room
// URIs); epochs as numbers. Any number of named clients live in memory until the process ends. The operations are
// also exported (`operations`, each taking the request object) for transcript.mjs, which imports this file.
//
//   ping          {}                                         -> { version }               (ts-mls version)
//   createClient  { name, identity, cipherSuite? }           -> { name, cipherSuite, signatureKey }
//                 identity: the basic credential identity (the client's MIMI URI); cipherSuite: id, default 1.
//   keyPackage    { name, lastResort?, notBefore?, notAfter? } -> { keyPackage, keyPackageRef }
//                 keyPackage: MLSMessage (mls_key_package). notBefore/notAfter in Unix seconds (default now - 60 s
//                 and now + 7 days). lastResort adds the last_resort KeyPackage extension (0x000A) and lists it in
//                 the leaf's capabilities. The private keys stay here so the client can join later.
//   createGroup   { name, groupId }                           -> { groupId, epoch, groupInfo, ratchetTree }
//                 groupInfo: the epoch-0 GroupInfo (MLSMessage, with external_pub); ratchetTree: the TLS-encoded tree.
//   addMember     { name, groupId, keyPackage | keyPackages, privateCommit?, ratchetTreeInWelcome? }
//                 -> { commit, welcome, groupInfo, ratchetTree, epoch }
//                 The adder merges its own commit at once (epoch is the new one). commit: MLSMessage, a
//                 PublicMessage unless privateCommit; welcome, groupInfo: MLSMessages; ratchetTree: the TLS-encoded
//                 ratchet_tree extension data (optional<Node> list) of the new epoch.
//   join          { name, welcome, ratchetTree? }             -> { groupId, epoch }
//                 Without ratchetTree the Welcome's GroupInfo must carry the ratchet_tree extension.
//   encrypt       { name, groupId, plaintext, authenticatedData? } -> { message }   (MLSMessage, PrivateMessage)
//                 authenticatedData: base64, the PrivateMessage's authenticated_data (default empty).
//   process       { name, message, groupId? }                 -> { kind, epoch, plaintext? }
//                 kind: "application" (with plaintext), "commit" or "proposal". groupId defaults to the message's.
//   epoch         { name, groupId }                           -> { epoch }
//   members       { name, groupId }                           -> { identities }  (UTF-8 credential identities)
//   removeMember  { name, groupId, identity }                 -> { commit, groupInfo, ratchetTree, epoch }
//                 A PublicMessage commit removing the member whose credential identity is `identity`.
//   signWithLabel { name, label, content }                    -> { signature }
//                 RFC 9420 SignWithLabel with the client's signature key (label without the "MLS 1.0 " prefix).
//   hpkeKeyPair   { name }                                    -> { publicKey }
//                 A fresh HPKE key pair of the client's cipher suite; the private key stays here for openWithLabel.
//   openWithLabel { name, label, context, kemOutput, ciphertext } -> { plaintext }
//                 RFC 9420 DecryptWithLabel with the client's latest hpkeKeyPair.
//   joinExternal  { name, groupInfo, ratchetTree }            -> { commit, groupInfo, ratchetTree, groupId, epoch }
//                 Joins by external commit (a PublicMessage from a new_member_commit sender) from a GroupInfo
//                 MLSMessage carrying external_pub and the TLS-encoded ratchet tree; the client is in the group at
//                 once (epoch is the new one).
//   groupState    { name, groupId }
//                 -> { epoch, treeHash, confirmedTranscriptHash, interimTranscriptHash, members, leafIndices, leafIndex }
//                 The client's view: hashes in base64 (treeHash is the group context's, which ts-mls sets to the
//                 root tree hash of the current tree); members: UTF-8 credential identities by leaf index, blanks
//                 skipped, with their leafIndices alongside; leafIndex: the client's own leaf.
//   update        { name, groupId }                           -> { commit, groupInfo, ratchetTree, epoch }
//                 A self-update: a PublicMessage commit with an empty proposal list and so an UpdatePath. Proposals
//                 pending at the client are left out (they lapse at the new epoch).
//   propose       { name, groupId, kind, keyPackage?, identity? } -> { message, proposalRef }
//                 A standalone proposal as a PublicMessage (MLSMessage); the client keeps it pending like one it
//                 received. kind: "add" (keyPackage: MLSMessage), "remove" (identity: the member's credential
//                 identity) or "update" (a fresh leaf HPKE key; the private key is used once a commit covers it).
//                 proposalRef: base64 ProposalRef (RFC 9420 §5.2) as ts-mls computes it.
//   commitPending { name, groupId }                           -> { commit, groupInfo, ratchetTree, epoch, welcome? }
//                 A PublicMessage commit covering, by reference, every proposal the client has sent or received in
//                 this epoch (its own Update proposals excepted, which a committer may not commit). welcome: when
//                 the proposals add members.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
    createApplicationMessage,
    createCommit,
    createGroup,
    createGroupInfoWithExternalPub,
    createProposal,
    joinGroupExternal,
    decodeMlsMessage,
    defaultCapabilities,
    emptyPskIndex,
    encodeMlsMessage,
    generateKeyPackageWithKey,
    getCiphersuiteFromName,
    getCiphersuiteImpl,
    joinGroup,
    processPrivateMessage,
    processPublicMessage,
} from 'ts-mls';
import { getCiphersuiteNameFromId } from 'ts-mls/crypto/ciphersuite.js';
import { decryptWithLabel } from 'ts-mls/crypto/hpke.js';
import { signWithLabel } from 'ts-mls/crypto/signature.js';
import { makeKeyPackageRef } from 'ts-mls/keyPackage.js';
import { getGroupMembers } from 'ts-mls/clientState.js';
import { makeProposalRef } from 'ts-mls/authenticatedContent.js';
import { signLeafNodeCommit } from 'ts-mls/leafNode.js';
import { createInterimHash } from 'ts-mls/transcriptHash.js';
import { decodeRatchetTree, encodeRatchetTree } from 'ts-mls/ratchetTree.js';

const LAST_RESORT = 0x000a;
const version = JSON.parse(readFileSync(new URL('./node_modules/ts-mls/package.json', import.meta.url), 'utf8')).version;
const clients = new Map();
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const bytes = (text, field) => {
    if (typeof text !== 'string') {
        throw new Error(`'${field}' must be a base64 string`);
    }

    return new Uint8Array(Buffer.from(text, 'base64'));
};
const text = (value, field) => {
    if (typeof value !== 'string' || value.length === 0) {
        throw new Error(`'${field}' must be a non-empty string`);
    }

    return value;
};

function client(name) {
    const found = clients.get(text(name, 'name'));
    if (!found) {
        throw new Error(`no client named '${name}'`);
    }

    return found;
}

function decodeTree(value, field) {
    const data = bytes(value, field);
    const decoded = decodeRatchetTree(data, 0);
    if (!decoded || decoded[1] !== data.length) {
        throw new Error(`'${field}' is not a TLS-encoded ratchet tree`);
    }

    return decoded[0];
}

async function committed(owner, newState, commit) {
    const groupId = fromUtf8.decode(newState.groupContext.groupId);
    owner.groups.set(groupId, newState);
    owner.pendingUpdates.delete(groupId);
    return { commit: b64(encodeMlsMessage(commit)), ...(await published(owner, newState)) };
}

// What a member publishes for the current epoch: a GroupInfo with external_pub and the ratchet tree.
async function published(owner, state) {
    const groupInfo = await createGroupInfoWithExternalPub(state, [], owner.impl);
    return {
        groupInfo: encode({ wireformat: 'mls_group_info', groupInfo }),
        ratchetTree: b64(encodeRatchetTree(state.ratchetTree)),
        groupId: fromUtf8.decode(state.groupContext.groupId),
        epoch: Number(state.groupContext.epoch),
    };
}

function leafOf(state, identity, groupId) {
    const wanted = text(identity, 'identity');
    // Leaf i sits at node 2i of the array representation.
    const node = state.ratchetTree.findIndex((n, i) => i % 2 === 0 && n?.nodeType === 'leaf'
        && fromUtf8.decode(n.leaf.credential.identity) === wanted);
    if (node < 0) {
        throw new Error(`no member '${wanted}' in group '${groupId}'`);
    }

    return node / 2;
}

// An Update proposal's leaf: the client's own leaf with a fresh HPKE key, re-signed over the group id and leaf index.
async function updatedLeaf(owner, state) {
    const leafIndex = state.privatePath.leafIndex;
    const current = state.ratchetTree[leafIndex * 2].leaf;
    const keys = await owner.impl.hpke.generateKeyPair();
    const signed = await signLeafNodeCommit({
        hpkePublicKey: await owner.impl.hpke.exportPublicKey(keys.publicKey),
        signaturePublicKey: current.signaturePublicKey,
        credential: current.credential,
        capabilities: current.capabilities,
        leafNodeSource: 'update',
        extensions: current.extensions,
        groupId: state.groupContext.groupId,
        leafIndex,
    }, state.signaturePrivateKey, owner.impl.signature);
    const { groupId: _, leafIndex: __, ...leafNode } = signed;
    return { leafNode, privateKey: await owner.impl.hpke.exportPrivateKey(keys.privateKey) };
}

function group(owner, groupId) {
    const state = owner.groups.get(text(groupId, 'groupId'));
    if (!state) {
        throw new Error(`client '${owner.name}' is not in group '${groupId}'`);
    }

    return state;
}

function decode(message, field, wireformat) {
    const data = bytes(message, field);
    const decoded = decodeMlsMessage(data, 0);
    if (!decoded || decoded[1] !== data.length) {
        throw new Error(`'${field}' is not one MLSMessage`);
    }

    if (wireformat && decoded[0].wireformat !== wireformat) {
        throw new Error(`'${field}' is a ${decoded[0].wireformat}, expected ${wireformat}`);
    }

    return decoded[0];
}

const encode = (content) => b64(encodeMlsMessage({ version: 'mls10', ...content }));

async function newKeyPackage(owner, { lastResort = false, notBefore, notAfter } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const lifetime = {
        notBefore: BigInt(notBefore ?? now - 60),
        notAfter: BigInt(notAfter ?? now + 7 * 24 * 3600),
    };
    const capabilities = defaultCapabilities();
    const extensions = [];
    if (lastResort) {
        capabilities.extensions = [LAST_RESORT, ...capabilities.extensions];
        extensions.push({ extensionType: LAST_RESORT, extensionData: new Uint8Array() });
    }

    const { publicPackage, privatePackage } = await generateKeyPackageWithKey(
        owner.credential,
        capabilities,
        lifetime,
        extensions,
        owner.signatureKeys,
        owner.impl,
    );
    const ref = await makeKeyPackageRef(publicPackage, owner.impl.hash);
    return { publicPackage, privatePackage, ref: b64(ref), lastResort };
}

export const operations = {
    ping: async () => ({ version }),

    createClient: async ({ name, identity, cipherSuite = 1 }) => {
        text(name, 'name');
        if (clients.has(name)) {
            throw new Error(`a client named '${name}' exists already`);
        }

        const suiteName = getCiphersuiteNameFromId(cipherSuite);
        if (!suiteName) {
            throw new Error(`unknown cipher suite ${cipherSuite}`);
        }

        const impl = await getCiphersuiteImpl(getCiphersuiteFromName(suiteName));
        const signatureKeys = await impl.signature.keygen();
        clients.set(name, {
            name,
            impl,
            cipherSuite,
            credential: { credentialType: 'basic', identity: utf8.encode(text(identity, 'identity')) },
            signatureKeys,
            keyPackages: [],
            groups: new Map(),
            // groupId -> { ref (base64), privateKey }: the client's own Update proposal awaiting a commit.
            pendingUpdates: new Map(),
        });
        return { name, cipherSuite, signatureKey: b64(signatureKeys.publicKey) };
    },

    keyPackage: async ({ name, lastResort, notBefore, notAfter }) => {
        const owner = client(name);
        const made = await newKeyPackage(owner, { lastResort: lastResort === true, notBefore, notAfter });
        owner.keyPackages.push(made);
        return { keyPackage: encode({ wireformat: 'mls_key_package', keyPackage: made.publicPackage }), keyPackageRef: made.ref };
    },

    createGroup: async ({ name, groupId }) => {
        const owner = client(name);
        text(groupId, 'groupId');
        if (owner.groups.has(groupId)) {
            throw new Error(`client '${name}' is in group '${groupId}' already`);
        }

        // The creator's own leaf comes from a KeyPackage that is never published.
        const own = await newKeyPackage(owner);
        const state = await createGroup(utf8.encode(groupId), own.publicPackage, own.privatePackage, [], owner.impl);
        owner.groups.set(groupId, state);
        return published(owner, state);
    },

    addMember: async ({ name, groupId, keyPackage, keyPackages, privateCommit, ratchetTreeInWelcome }) => {
        const owner = client(name);
        const state = group(owner, groupId);
        const encoded = keyPackages ?? [keyPackage];
        if (!Array.isArray(encoded) || encoded.length === 0) {
            throw new Error("give 'keyPackage' or a non-empty 'keyPackages'");
        }

        const extraProposals = encoded.map((kp, i) => ({
            proposalType: 'add',
            add: { keyPackage: decode(kp, `keyPackages[${i}]`, 'mls_key_package').keyPackage },
        }));
        const result = await createCommit(
            { state, cipherSuite: owner.impl },
            { extraProposals, wireAsPublicMessage: privateCommit !== true, ratchetTreeExtension: ratchetTreeInWelcome === true },
        );
        return {
            ...(await committed(owner, result.newState, result.commit)),
            welcome: encode({ wireformat: 'mls_welcome', welcome: result.welcome }),
        };
    },

    join: async ({ name, welcome, ratchetTree }) => {
        const owner = client(name);
        const message = decode(welcome, 'welcome', 'mls_welcome').welcome;
        const refs = new Set(message.secrets.map((s) => b64(s.newMember)));
        const index = owner.keyPackages.findIndex((kp) => refs.has(kp.ref));
        if (index < 0) {
            throw new Error(`the Welcome names none of client '${name}''s KeyPackages`);
        }

        const kp = owner.keyPackages[index];
        const tree = ratchetTree === undefined || ratchetTree === null ? undefined : decodeTree(ratchetTree, 'ratchetTree');

        const state = await joinGroup(message, kp.publicPackage, kp.privatePackage, emptyPskIndex, owner.impl, tree);
        const groupId = fromUtf8.decode(state.groupContext.groupId);
        if (!kp.lastResort) {
            owner.keyPackages.splice(index, 1);
        }

        owner.groups.set(groupId, state);
        return { groupId, epoch: Number(state.groupContext.epoch) };
    },

    encrypt: async ({ name, groupId, plaintext, authenticatedData }) => {
        const owner = client(name);
        const aad = authenticatedData === undefined || authenticatedData === null ? undefined : bytes(authenticatedData, 'authenticatedData');
        const result = await createApplicationMessage(group(owner, groupId), bytes(plaintext, 'plaintext'), owner.impl, aad);
        owner.groups.set(groupId, result.newState);
        return { message: encode({ wireformat: 'mls_private_message', privateMessage: result.privateMessage }) };
    },

    process: async ({ name, groupId, message }) => {
        const owner = client(name);
        const decoded = decode(message, 'message');
        let result;
        let contentType;
        let messageGroup;
        switch (decoded.wireformat) {
            case 'mls_private_message':
                messageGroup = decoded.privateMessage.groupId;
                contentType = decoded.privateMessage.contentType;
                break;
            case 'mls_public_message':
                messageGroup = decoded.publicMessage.content.groupId;
                contentType = decoded.publicMessage.content.contentType;
                break;
            default:
                throw new Error(`cannot process a ${decoded.wireformat}; use join for a Welcome`);
        }

        const id = groupId ?? fromUtf8.decode(messageGroup);
        let state = group(owner, id);
        const pending = owner.pendingUpdates.get(id);
        if (pending && contentType === 'commit' && decoded.wireformat === 'mls_public_message'
            && decoded.publicMessage.content.commit.proposals.some((p) => p.proposalOrRefType === 'reference' && b64(p.reference) === pending.ref)) {
            // The commit applies this client's Update: its new leaf key decrypts the path secret, so ts-mls must hold it.
            const leafNode = state.privatePath.leafIndex * 2;
            state = { ...state, privatePath: { ...state.privatePath, privateKeys: { ...state.privatePath.privateKeys, [leafNode]: pending.privateKey } } };
        }

        if (decoded.wireformat === 'mls_private_message') {
            result = await processPrivateMessage(state, decoded.privateMessage, emptyPskIndex, owner.impl);
        } else {
            result = { kind: 'newState', ...(await processPublicMessage(state, decoded.publicMessage, emptyPskIndex, owner.impl)) };
        }

        owner.groups.set(id, result.newState);
        if (result.newState.groupContext.epoch !== state.groupContext.epoch) {
            owner.pendingUpdates.delete(id);
        }

        const epoch = Number(result.newState.groupContext.epoch);
        if (result.kind === 'applicationMessage') {
            return { kind: 'application', epoch, plaintext: b64(result.message) };
        }

        return { kind: contentType, epoch };
    },

    epoch: async ({ name, groupId }) => {
        const owner = client(name);
        return { epoch: Number(group(owner, groupId).groupContext.epoch) };
    },

    members: async ({ name, groupId }) => {
        const owner = client(name);
        const leaves = getGroupMembers(group(owner, groupId));
        return { identities: leaves.map((leaf) => fromUtf8.decode(leaf.credential.identity)) };
    },

    removeMember: async ({ name, groupId, identity }) => {
        const owner = client(name);
        const state = group(owner, groupId);
        const result = await createCommit(
            { state, cipherSuite: owner.impl },
            { extraProposals: [{ proposalType: 'remove', remove: { removed: leafOf(state, identity, groupId) } }], wireAsPublicMessage: true },
        );
        return committed(owner, result.newState, result.commit);
    },

    groupState: async ({ name, groupId }) => {
        const owner = client(name);
        const state = group(owner, groupId);
        const context = state.groupContext;
        const leaves = state.ratchetTree.flatMap((n, i) => (i % 2 === 0 && n?.nodeType === 'leaf' ? [[i / 2, n.leaf]] : []));
        return {
            epoch: Number(context.epoch),
            treeHash: b64(context.treeHash),
            confirmedTranscriptHash: b64(context.confirmedTranscriptHash),
            interimTranscriptHash: b64(await createInterimHash(context.confirmedTranscriptHash, state.confirmationTag, owner.impl.hash)),
            members: leaves.map(([, leaf]) => fromUtf8.decode(leaf.credential.identity)),
            leafIndices: leaves.map(([index]) => index),
            leafIndex: state.privatePath.leafIndex,
        };
    },

    update: async ({ name, groupId }) => {
        const owner = client(name);
        // No proposals at all, so RFC 9420 §12.4 requires the path: pending proposals are set aside for this commit.
        const state = { ...group(owner, groupId), unappliedProposals: {} };
        const result = await createCommit({ state, cipherSuite: owner.impl }, { wireAsPublicMessage: true });
        return committed(owner, result.newState, result.commit);
    },

    propose: async ({ name, groupId, kind, keyPackage, identity }) => {
        const owner = client(name);
        const state = group(owner, groupId);
        let proposal;
        let update;
        switch (kind) {
            case 'add':
                proposal = { proposalType: 'add', add: { keyPackage: decode(keyPackage, 'keyPackage', 'mls_key_package').keyPackage } };
                break;
            case 'remove':
                proposal = { proposalType: 'remove', remove: { removed: leafOf(state, identity, groupId) } };
                break;
            case 'update':
                update = await updatedLeaf(owner, state);
                proposal = { proposalType: 'update', update: { leafNode: update.leafNode } };
                break;
            default:
                throw new Error(`'kind' must be add, remove or update, not '${kind}'`);
        }

        const result = await createProposal(state, true, proposal, owner.impl);
        const content = result.message.publicMessage;
        const ref = b64(await makeProposalRef({ wireformat: 'mls_public_message', content: content.content, auth: content.auth }, owner.impl.hash));
        owner.groups.set(groupId, result.newState);
        if (update) {
            owner.pendingUpdates.set(groupId, { ref, privateKey: update.privateKey });
        }

        return { message: b64(encodeMlsMessage(result.message)), proposalRef: ref };
    },

    commitPending: async ({ name, groupId }) => {
        const owner = client(name);
        const current = group(owner, groupId);
        const own = current.privatePath.leafIndex;
        const unappliedProposals = Object.fromEntries(Object.entries(current.unappliedProposals)
            .filter(([, p]) => !(p.proposal.proposalType === 'update' && p.senderLeafIndex === own)));
        if (Object.keys(unappliedProposals).length === 0) {
            throw new Error(`client '${name}' has no pending proposals to commit in '${groupId}'`);
        }

        const result = await createCommit({ state: { ...current, unappliedProposals }, cipherSuite: owner.impl }, { wireAsPublicMessage: true });
        return {
            ...(await committed(owner, result.newState, result.commit)),
            ...(result.welcome ? { welcome: encode({ wireformat: 'mls_welcome', welcome: result.welcome }) } : {}),
        };
    },

    signWithLabel: async ({ name, label, content }) => {
        const owner = client(name);
        const signature = await signWithLabel(owner.signatureKeys.signKey, text(label, 'label'), bytes(content, 'content'), owner.impl.signature);
        return { signature: b64(signature) };
    },

    hpkeKeyPair: async ({ name }) => {
        const owner = client(name);
        owner.hpke = await owner.impl.hpke.generateKeyPair();
        return { publicKey: b64(await owner.impl.hpke.exportPublicKey(owner.hpke.publicKey)) };
    },

    openWithLabel: async ({ name, label, context, kemOutput, ciphertext }) => {
        const owner = client(name);
        if (!owner.hpke) {
            throw new Error(`client '${name}' has no HPKE key pair; call hpkeKeyPair first`);
        }

        const plaintext = await decryptWithLabel(owner.hpke.privateKey, text(label, 'label'), bytes(context, 'context'),
            bytes(kemOutput, 'kemOutput'), bytes(ciphertext, 'ciphertext'), owner.impl.hpke);
        return { plaintext: b64(plaintext) };
    },

    joinExternal: async ({ name, groupInfo, ratchetTree: tree }) => {
        const owner = client(name);
        const info = decode(groupInfo, 'groupInfo', 'mls_group_info').groupInfo;
        const own = await newKeyPackage(owner);
        const result = await joinGroupExternal(info, own.publicPackage, own.privatePackage, false, owner.impl, decodeTree(tree, 'ratchetTree'));
        return committed(owner, result.newState, { version: 'mls10', wireformat: 'mls_public_message', publicMessage: result.publicMessage });
    },
};

async function handle(line) {
    let request;
    try {
        request = JSON.parse(line);
    } catch {
        return { id: null, error: 'request is not JSON' };
    }

    const id = request?.id ?? null;
    const operation = Object.hasOwn(operations, request?.op ?? '') ? operations[request.op] : undefined;
    if (!operation) {
        return { id, error: `unknown op '${request?.op}'` };
    }

    try {
        return { id, ...(await operation(request)) };
    } catch (error) {
        return { id, error: `${request.op}: ${error?.message ?? error}` };
    }
}

// One request at a time, in order: client state must not change under a request in flight. The loop runs only when
// this file is the program; transcript.mjs imports the operations and calls them itself.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
    let queue = Promise.resolve();
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    lines.on('line', (line) => {
        if (line.trim().length === 0) {
            return;
        }

        queue = queue.then(async () => {
            process.stdout.write(JSON.stringify(await handle(line)) + '\n');
        });
    });
    lines.on('close', () => {
        queue.then(() => process.exit(0));
    });
}
