// Records fixed MLS transcripts with ts-mls for the public group state's unit tests.
//
// Run by hand (not by CI) from this folder after `npm ci`, when a scenario is added or changed:
//
//   node transcript.mjs [outputDir]
//
// outputDir defaults to ../../Mimi.Discovery.Protocol.Tests/Mls/Transcripts. For each scenario and cipher suite
// (1: X25519/AES-128-GCM/SHA-256/Ed25519, 2: P-256/AES-128-GCM/SHA-256/P-256) it writes `<scenario>-suite<n>.json`:
//
//   { "cipherSuite": n, "groupId": "<utf8>", "recordedAt": <Unix seconds>,
//     "creation": { "groupInfo": b64, "ratchetTree": b64 },
//     "steps": [ { "kind": "commit" | "proposal", "label": "<what happens>", "message": b64 MLSMessage,
//                  "groupInfo": b64 | null, "ratchetTree": b64 | null, "epoch": n, "treeHash": hex,
//                  "confirmedTranscriptHash": hex, "members": ["identity", ...] } ] }
//
// creation: the creator's epoch-0 GroupInfo (MLSMessage) and TLS-encoded ratchet tree. Each step's message is a
// PublicMessage; a commit comes with the committer's GroupInfo of the new epoch (with external_pub) and the new
// ratchet tree, a proposal with nulls. The state fields are what ts-mls reports after the step, as seen by a member
// that processed it (for a proposal the epoch and hashes are unchanged); members are the credential identities in
// leaf-index order, blanks skipped. recordedAt is when the transcript was made: KeyPackages and leaves are valid from
// a minute before it for seven days, so a test checking lifetimes takes it as "now".
//
// Scenarios:
//   adds-updates-removes  create; add two members in one commit and a third in another; a self-update with a path;
//                         a remove; standalone Add and Update proposals committed by reference by another member;
//                         an external join.
//   big-room              create; add 19 members over three commits (20 members); an update from a middle leaf; two
//                         removes (blank leaves); a re-add into a blank; a commit of a standalone Remove proposal.
//
// Every member processes every message, so each step is checked by ts-mls on all sides before it is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { operations as op } from './peer.mjs';

const outputDir = process.argv[2] ?? fileURLToPath(new URL('../../Mimi.Discovery.Protocol.Tests/Mls/Transcripts', import.meta.url));
const hex = (b64) => Buffer.from(b64, 'base64').toString('hex');
let run = 0;

async function call(name, request) {
    return op[name](request);
}

// One group, its members (client names in the peer) and the steps recorded so far.
class Recording {
    constructor(suite, groupId) {
        this.suite = suite;
        this.groupId = groupId;
        this.prefix = `r${++run}-`;
        this.members = [];
        this.steps = [];
    }

    identity(name) {
        return `mimi://${name}.example/d/${name}-device`;
    }

    async client(name) {
        await call('createClient', { name: this.prefix + name, identity: this.identity(name), cipherSuite: this.suite });
        return name;
    }

    async keyPackage(name) {
        await this.client(name);
        return (await call('keyPackage', { name: this.prefix + name })).keyPackage;
    }

    async create(name) {
        await this.client(name);
        const created = await call('createGroup', { name: this.prefix + name, groupId: this.groupId });
        this.members.push(name);
        this.creation = { groupInfo: created.groupInfo, ratchetTree: created.ratchetTree };
    }

    // Everyone but the sender (and the newcomers) processes the message; then the step is written from an observer's
    // view, which the sender's own view must equal.
    async deliver(kind, label, sender, message, extra = {}) {
        for (const member of this.members) {
            if (member !== sender) {
                await call('process', { name: this.prefix + member, message });
            }
        }

        const { removed = [], joined = [], welcome, committed } = extra;
        this.members = this.members.filter((m) => !removed.includes(m));
        for (const name of joined) {
            if (welcome) {
                await call('join', { name: this.prefix + name, welcome, ratchetTree: committed.ratchetTree });
            }

            this.members.push(name);
        }

        const views = [];
        for (const member of this.members) {
            views.push(await call('groupState', { name: this.prefix + member, groupId: this.groupId }));
        }

        const view = views[0];
        for (const other of views) {
            for (const field of ['epoch', 'treeHash', 'confirmedTranscriptHash', 'interimTranscriptHash']) {
                if (other[field] !== view[field]) {
                    throw new Error(`${label}: members disagree on ${field}`);
                }
            }
        }

        this.steps.push({
            kind,
            label,
            message,
            groupInfo: committed?.groupInfo ?? null,
            ratchetTree: committed?.ratchetTree ?? null,
            epoch: view.epoch,
            treeHash: hex(view.treeHash),
            confirmedTranscriptHash: hex(view.confirmedTranscriptHash),
            members: view.members,
        });
    }

    async add(by, names) {
        const keyPackages = [];
        for (const name of names) {
            keyPackages.push(await this.keyPackage(name));
        }

        const committed = await call('addMember', { name: this.prefix + by, groupId: this.groupId, keyPackages });
        await this.deliver('commit', `${by} adds ${names.join(', ')}`, by, committed.commit, { joined: names, welcome: committed.welcome, committed });
    }

    async update(by) {
        const committed = await call('update', { name: this.prefix + by, groupId: this.groupId });
        await this.deliver('commit', `${by} updates with a path`, by, committed.commit, { committed });
    }

    async remove(by, name) {
        const committed = await call('removeMember', { name: this.prefix + by, groupId: this.groupId, identity: this.identity(name) });
        await this.deliver('commit', `${by} removes ${name}`, by, committed.commit, { removed: [name], committed });
    }

    async propose(by, kind, { add, remove } = {}) {
        const request = { name: this.prefix + by, groupId: this.groupId, kind };
        if (add) {
            request.keyPackage = await this.keyPackage(add);
            this.proposedAdds = [...(this.proposedAdds ?? []), add];
        }

        if (remove) {
            request.identity = this.identity(remove);
            this.proposedRemoves = [...(this.proposedRemoves ?? []), remove];
        }

        const proposed = await call('propose', request);
        await this.deliver('proposal', `${by} proposes ${kind}${add ? ` of ${add}` : ''}${remove ? ` of ${remove}` : ''}`, by, proposed.message);
    }

    async commitPending(by) {
        const committed = await call('commitPending', { name: this.prefix + by, groupId: this.groupId });
        const joined = this.proposedAdds ?? [];
        const removed = this.proposedRemoves ?? [];
        this.proposedAdds = [];
        this.proposedRemoves = [];
        await this.deliver('commit', `${by} commits the pending proposals by reference`, by, committed.commit,
            { joined, removed, welcome: committed.welcome, committed });
    }

    async joinExternal(name) {
        await this.client(name);
        const last = this.steps.findLast((s) => s.kind === 'commit');
        const groupInfo = last?.groupInfo ?? this.creation.groupInfo;
        const ratchetTree = last?.ratchetTree ?? this.creation.ratchetTree;
        const committed = await call('joinExternal', { name: this.prefix + name, groupInfo, ratchetTree });
        await this.deliver('commit', `${name} joins by external commit`, name, committed.commit, { joined: [name], committed });
    }

    toJSON() {
        return { cipherSuite: this.suite, groupId: this.groupId, recordedAt: Math.floor(Date.now() / 1000), creation: this.creation, steps: this.steps };
    }
}

const scenarios = {
    'adds-updates-removes': async (r) => {
        await r.create('alice');
        await r.add('alice', ['bob', 'carol']);
        await r.add('bob', ['dave']);
        await r.update('carol');
        await r.remove('alice', 'bob');
        await r.propose('dave', 'add', { add: 'erin' });
        await r.propose('carol', 'update');
        await r.commitPending('alice');
        await r.joinExternal('frank');
    },
    'big-room': async (r) => {
        const names = Array.from({ length: 19 }, (_, i) => `m${String(i + 1).padStart(2, '0')}`);
        await r.create('m00');
        await r.add('m00', names.slice(0, 5));
        await r.add('m03', names.slice(5, 10));
        await r.add('m00', names.slice(10));
        await r.update('m11');
        await r.remove('m00', 'm07');
        await r.remove('m15', 'm02');
        await r.add('m19', ['m20']);
        await r.propose('m09', 'remove', { remove: 'm12' });
        await r.commitPending('m04');
    },
};

mkdirSync(outputDir, { recursive: true });
for (const [scenario, play] of Object.entries(scenarios)) {
    for (const suite of [1, 2]) {
        const recording = new Recording(suite, `mimi://alpha.example/r/${scenario}`);
        await play(recording);
        const file = join(outputDir, `${scenario}-suite${suite}.json`);
        writeFileSync(file, JSON.stringify(recording, null, 1) + '\n');
        console.log(`${file}: ${recording.steps.length} steps, epoch ${recording.steps.at(-1).epoch}, ${recording.members.length} members`);
    }
}
