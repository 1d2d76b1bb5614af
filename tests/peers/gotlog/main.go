// Command gotlog checks Mimi.Discovery.Transparency against Go's golang.org/x/mod/sumdb/tlog and
// sumdb/note, an implementation written independently of ours.
//
// Build in GOPATH mode with Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o <dir> .
//
// Protocol: one JSON request per line on stdin, one JSON response per line on stdout. Byte fields are
// base64 (encoding/json's []byte encoding). The process keeps one log: "append" adds records to it.
package main

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const tileHeight = 8

type request struct {
	Op          string   `json:"op"`
	Records     [][]byte `json:"records"`
	Index       int64    `json:"index"`
	Size        int64    `json:"size"`
	Old         int64    `json:"old"`
	New         int64    `json:"new"`
	Leaf        []byte   `json:"leaf"`
	Root        []byte   `json:"root"`
	OldRoot     []byte   `json:"oldRoot"`
	NewRoot     []byte   `json:"newRoot"`
	Proof       [][]byte `json:"proof"`
	Note        []byte   `json:"note"`
	VerifierKey string   `json:"verifierKey"`
	Name        string   `json:"name"`
	Text        string   `json:"text"`
}

type tileData struct {
	Level int    `json:"level"`
	Index int64  `json:"index"`
	Width int    `json:"width"`
	Path  string `json:"path"`
	Data  []byte `json:"data"`
}

type response struct {
	Ok          bool       `json:"ok"`
	Error       string     `json:"error,omitempty"`
	Text        string     `json:"text,omitempty"`
	Hash        []byte     `json:"hash,omitempty"`
	Proof       [][]byte   `json:"proof,omitempty"`
	Tiles       []tileData `json:"tiles,omitempty"`
	Note        []byte     `json:"note,omitempty"`
	SignerKey   string     `json:"signerKey,omitempty"`
	VerifierKey string     `json:"verifierKey,omitempty"`
}

// log is the state of the one log this process keeps: every stored hash, by stored hash index.
type log struct {
	records int64
	hashes  []tlog.Hash
}

func (l *log) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(l.hashes)) {
			return nil, fmt.Errorf("stored hash %d not written", x)
		}
		out[i] = l.hashes[x]
	}
	return out, nil
}

func toHash(b []byte) (tlog.Hash, error) {
	var h tlog.Hash
	if len(b) != tlog.HashSize {
		return h, fmt.Errorf("hash of %d bytes", len(b))
	}
	copy(h[:], b)
	return h, nil
}

func toHashes(list [][]byte) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(list))
	for i, b := range list {
		h, err := toHash(b)
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func fromHashes(list []tlog.Hash) [][]byte {
	out := make([][]byte, len(list))
	for i := range list {
		out[i] = append([]byte(nil), list[i][:]...)
	}
	return out
}

func (l *log) handle(req *request) (*response, error) {
	switch req.Op {
	case "reset":
		*l = log{}
		return &response{Ok: true}, nil

	case "append":
		for _, record := range req.Records {
			stored, err := tlog.StoredHashes(l.records, record, l)
			if err != nil {
				return nil, err
			}
			l.hashes = append(l.hashes, stored...)
			l.records++
		}
		return &response{Ok: true}, nil

	case "root":
		h, err := tlog.TreeHash(req.Size, l)
		if err != nil {
			return nil, err
		}
		return &response{Ok: true, Hash: h[:]}, nil

	case "leafHash":
		h := tlog.RecordHash(req.Leaf)
		return &response{Ok: true, Hash: h[:]}, nil

	case "tiles":
		// The tiles to publish when the tree grows from old to new, keeping the widest version of each.
		var tiles []tileData
		widest := map[[2]int64]int{}
		for _, t := range tlog.NewTiles(tileHeight, req.Old, req.New) {
			data, err := tlog.ReadTileData(t, l)
			if err != nil {
				return nil, err
			}
			key := [2]int64{int64(t.L), t.N}
			entry := tileData{Level: t.L, Index: t.N, Width: t.W, Path: t.Path(), Data: data}
			if i, ok := widest[key]; ok {
				if tiles[i].Width < t.W {
					tiles[i] = entry
				}
				continue
			}
			widest[key] = len(tiles)
			tiles = append(tiles, entry)
		}
		return &response{Ok: true, Tiles: tiles}, nil

	case "proveRecord":
		p, err := tlog.ProveRecord(req.Size, req.Index, l)
		if err != nil {
			return nil, err
		}
		return &response{Ok: true, Proof: fromHashes(p)}, nil

	case "proveTree":
		p, err := tlog.ProveTree(req.New, req.Old, l)
		if err != nil {
			return nil, err
		}
		return &response{Ok: true, Proof: fromHashes(p)}, nil

	case "checkRecord":
		proof, err := toHashes(req.Proof)
		if err != nil {
			return nil, err
		}
		root, err := toHash(req.Root)
		if err != nil {
			return nil, err
		}
		leaf, err := toHash(req.Leaf)
		if err != nil {
			return nil, err
		}
		if err := tlog.CheckRecord(proof, req.Size, root, req.Index, leaf); err != nil {
			return nil, err
		}
		return &response{Ok: true}, nil

	case "checkTree":
		proof, err := toHashes(req.Proof)
		if err != nil {
			return nil, err
		}
		oldRoot, err := toHash(req.OldRoot)
		if err != nil {
			return nil, err
		}
		newRoot, err := toHash(req.NewRoot)
		if err != nil {
			return nil, err
		}
		if err := tlog.CheckTree(proof, req.New, newRoot, req.Old, oldRoot); err != nil {
			return nil, err
		}
		return &response{Ok: true}, nil

	case "open":
		v, err := note.NewVerifier(req.VerifierKey)
		if err != nil {
			return nil, err
		}
		n, err := note.Open(req.Note, note.VerifierList(v))
		if err != nil {
			return nil, err
		}
		return &response{Ok: true, Text: n.Text}, nil

	case "sign":
		skey, vkey, err := note.GenerateKey(rand.Reader, req.Name)
		if err != nil {
			return nil, err
		}
		s, err := note.NewSigner(skey)
		if err != nil {
			return nil, err
		}
		msg, err := note.Sign(&note.Note{Text: req.Text}, s)
		if err != nil {
			return nil, err
		}
		return &response{Ok: true, Note: msg, SignerKey: skey, VerifierKey: vkey}, nil
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	var l log
	for in.Scan() {
		var req request
		var resp *response
		err := json.Unmarshal(in.Bytes(), &req)
		if err == nil {
			resp, err = l.handle(&req)
		}
		if err != nil {
			resp = &response{Ok: false, Error: err.Error()}
		}
		if err := enc.Encode(resp); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		out.Flush()
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
