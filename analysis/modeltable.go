package analysis

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// The model's weights are kept in the form model.bin is written in, and
// the embedded model is read where the binary holds it, never copied to
// the heap: a feature's hash is found by its top bits' bucket and a
// search of the sorted hashes in it, and its weights follow, in the order
// model.txt lists them. Every serve process holds the model, and a table
// that is only read costs no collector work and, until replies arrive, no
// resident memory.
//
// model.bin, all little-endian:
//
//	"steadym1"
//	u32 n, then n bytes: the options as model.txt's "=" lines
//	u32 labels, then a float64 bias per label
//	u32 keys, u32 weights
//	(1<<bucketBits)+1 u32: the first key whose top bits are the bucket's
//	keys u64: the features' hashes, ascending
//	keys u32: where each feature's weights end (they start where the
//	previous feature's end)
//	weights u8: each weight's label
//	weights u32: each weight's float32 bits
const modelMagic = "steadym1"

// bucketBits is how many of a hash's top bits pick its bucket: about 8
// features a bucket with model.txt's 32,000.
const bucketBits = 12

// weightTable is a view of model.bin's tables.
type weightTable struct {
	buckets, keys, ends, labels, weights []byte
}

// find returns where the weights of the feature with hash h are in the
// table: lo to hi, empty when it has none.
func (t *weightTable) find(h uint64) (lo, hi int) {
	b := int(h >> (64 - bucketBits))
	i, j := int(binary.LittleEndian.Uint32(t.buckets[4*b:])), int(binary.LittleEndian.Uint32(t.buckets[4*b+4:]))
	for i < j {
		k := int(uint(i+j) >> 1)
		if binary.LittleEndian.Uint64(t.keys[8*k:]) < h {
			i = k + 1
		} else {
			j = k
		}
	}
	if 8*i >= len(t.keys) || binary.LittleEndian.Uint64(t.keys[8*i:]) != h {
		return 0, 0
	}
	if i > 0 {
		lo = int(binary.LittleEndian.Uint32(t.ends[4*i-4:]))
	}
	return lo, int(binary.LittleEndian.Uint32(t.ends[4*i:]))
}

// label and weight are the i-th weight's label and value.
func (t *weightTable) label(i int) uint8 { return t.labels[i] }
func (t *weightTable) weight(i int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(t.weights[4*i:]))
}

// loadModel reads model.bin's bytes, which the model then reads in place.
func loadModel(bin []byte) (*model, error) {
	r := binReader{b: bin}
	if string(r.next(len(modelMagic))) != modelMagic {
		return nil, errors.New("not a model (no magic)")
	}
	labels := modelLabels()
	m := &model{labels: labels}
	opts := string(r.next(int(r.u32())))
	for line := range strings.Lines(opts) {
		name, value, ok := strings.Cut(strings.TrimSuffix(line, "\n"), "\t")
		if !ok || !strings.HasPrefix(name, "=") {
			return nil, fmt.Errorf("bad option line %q", line)
		}
		if err := m.set(name[1:], value); err != nil {
			return nil, err
		}
	}
	if n := int(r.u32()); n != len(labels) {
		return nil, fmt.Errorf("%d labels, want %d", n, len(labels))
	}
	m.bias = make([]float64, len(labels))
	for i := range m.bias {
		m.bias[i] = math.Float64frombits(binary.LittleEndian.Uint64(r.next(8)))
	}
	keys, weights := int(r.u32()), int(r.u32())
	m.tab = weightTable{
		buckets: r.next(4 * (1<<bucketBits + 1)),
		keys:    r.next(8 * keys),
		ends:    r.next(4 * keys),
		labels:  r.next(weights),
		weights: r.next(4 * weights),
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.b) != 0 {
		return nil, fmt.Errorf("%d bytes after the tables", len(r.b))
	}
	return m, nil
}

// binReader takes model.bin's fields in turn; a short read sets err.
type binReader struct {
	b   []byte
	err error
}

func (r *binReader) next(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.err = errors.New("model is cut short")
		r.b = nil
		return make([]byte, max(n, 0))
	}
	out := r.b[:n:n]
	r.b = r.b[n:]
	return out
}

func (r *binReader) u32() uint32 { return binary.LittleEndian.Uint32(r.next(4)) }

// record is one weight of model.txt.
type record struct {
	h     uint64
	w     float32
	label uint8
}

// parseModel reads model.txt: "=" option lines, a "\t<label>\t<bias>"
// line per label, "<feature>\t<label>\t<weight>" or "<feature>\t<n>:<weight>
// <n>:<weight> ..." lines (n the label's place among the bias lines, from
// 0), and "#" comments.
func parseModel(text string) (*model, error) {
	bin, err := modelBinary(text)
	if err != nil {
		return nil, err
	}
	return loadModel(bin)
}

// modelBinary is model.bin for model.txt's text.
func modelBinary(text string) ([]byte, error) {
	labels := modelLabels()
	if len(labels) > maxModelLabels {
		return nil, fmt.Errorf("%d labels, at most %d", len(labels), maxModelLabels)
	}
	index := map[string]int{}
	for i, l := range labels {
		index[l.String()] = i
	}
	var opts modelOptions
	bias := make([]float64, len(labels))
	recs := make([]record, 0, strings.Count(text, ":")+strings.Count(text, "\n"))
	n := 0
	for line := range strings.Lines(text) {
		n++
		line = strings.TrimSuffix(line, "\n")
		if line == "" || line[0] == '#' {
			continue
		}
		f0, rest, _ := strings.Cut(line, "\t")
		fields := strings.Count(line, "\t") + 1
		if line[0] == '=' {
			if fields != 2 {
				return nil, fmt.Errorf("line %d: want an option and its value", n)
			}
			if err := opts.set(f0[1:], rest); err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			continue
		}
		if fields == 2 && f0 != "" {
			// "feature<TAB>label:weight label:weight ...", labels by number.
			h := featureHash(f0)
			for lw := range strings.FieldsSeq(rest) {
				ls, ws, ok := strings.Cut(lw, ":")
				li, err := strconv.Atoi(ls)
				if !ok || err != nil || li < 0 || li >= len(labels) {
					return nil, fmt.Errorf("line %d: bad weight %q", n, lw)
				}
				w, err := strconv.ParseFloat(ws, 64)
				if err != nil {
					return nil, fmt.Errorf("line %d: %w", n, err)
				}
				recs = append(recs, record{h: h, label: uint8(li), w: float32(w)})
			}
			continue
		}
		if fields != 3 {
			return nil, fmt.Errorf("line %d: want 3 fields, got %d", n, fields)
		}
		f1, f2, _ := strings.Cut(rest, "\t")
		li, ok := index[f1]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown label %q", n, f1)
		}
		w, err := strconv.ParseFloat(f2, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if f0 == "" {
			bias[li] = w
			continue
		}
		recs = append(recs, record{h: featureHash(f0), label: uint8(li), w: float32(w)})
	}
	return encodeModel(opts, bias, recs)
}

// encodeModel writes model.bin from the options, the biases and every
// weight in model.txt's order (a feature's weights keep it).
func encodeModel(opts modelOptions, bias []float64, recs []record) ([]byte, error) {
	slices.SortStableFunc(recs, func(a, b record) int { return cmp.Compare(a.h, b.h) })
	var hashes []uint64
	for i, r := range recs {
		if i == 0 || r.h != recs[i-1].h {
			hashes = append(hashes, r.h)
		}
	}
	if len(recs) >= 1<<31 {
		return nil, errors.New("too many weights")
	}
	optText := opts.String()
	le := binary.LittleEndian
	out := make([]byte, 0, len(modelMagic)+4+len(optText)+4+8*len(bias)+8+4*(1<<bucketBits+1)+12*len(hashes)+5*len(recs))
	out = append(out, modelMagic...)
	out = le.AppendUint32(out, uint32(len(optText)))
	out = append(out, optText...)
	out = le.AppendUint32(out, uint32(len(bias)))
	for _, b := range bias {
		out = le.AppendUint64(out, math.Float64bits(b))
	}
	out = le.AppendUint32(out, uint32(len(hashes)))
	out = le.AppendUint32(out, uint32(len(recs)))
	// Each bucket starts at the first key whose top bits are not under it.
	k := 0
	for b := range 1<<bucketBits + 1 {
		for k < len(hashes) && int(hashes[k]>>(64-bucketBits)) < b {
			k++
		}
		out = le.AppendUint32(out, uint32(k))
	}
	for _, h := range hashes {
		out = le.AppendUint64(out, h)
	}
	start := 0
	for i := range recs {
		if i+1 == len(recs) || recs[i+1].h != recs[i].h {
			if i+1-start > maxModelLabels {
				return nil, fmt.Errorf("feature %x: too many weights", recs[i].h)
			}
			out = le.AppendUint32(out, uint32(i+1))
			start = i + 1
		}
	}
	for _, r := range recs {
		out = append(out, r.label)
	}
	for _, r := range recs {
		out = le.AppendUint32(out, math.Float32bits(r.w))
	}
	return out, nil
}
