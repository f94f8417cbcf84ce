// The gnark route of issue 18's prover comparison: the same Groth16 proof as snarkjs (and native/), on
// gnark-crypto's BN254 (Go), from snarkjs's zkey and wtns. Not part of the product: it is built and timed by
// scripts/prover-routes/compare.ts beside the arkworks addon and snarkjs, on the same files.
//
//	go run . <circuit.zkey> <witness.wtns> <proof.json> <public.json>
//
// It prints one JSON line of phase timings (ms). No R1CS check and no self-verification: the comparison times
// the proving work alone (the caller verifies the proof with snarkjs).
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/fft"
)

type container struct {
	b        []byte
	sections map[uint32][]byte
}

func open(path string) container {
	b, err := os.ReadFile(path)
	must(err)
	c := container{b, map[uint32][]byte{}}
	n := binary.LittleEndian.Uint32(b[8:])
	at := uint64(12)
	for i := uint32(0); i < n; i++ {
		t := binary.LittleEndian.Uint32(b[at:])
		size := binary.LittleEndian.Uint64(b[at+4:])
		c.sections[t] = b[at+12 : at+12+size]
		at += 12 + size
	}
	return c
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func u32(b []byte, at int) int { return int(binary.LittleEndian.Uint32(b[at:])) }

// coordinates are stored little-endian in Montgomery form with R = 2^256, gnark's own internal form
func fq(b []byte) fp.Element {
	return fp.Element{binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:]), binary.LittleEndian.Uint64(b[16:]), binary.LittleEndian.Uint64(b[24:])}
}

func g1(b []byte) bn254.G1Affine { return bn254.G1Affine{X: fq(b), Y: fq(b[32:])} }

func g2(b []byte) bn254.G2Affine {
	var p bn254.G2Affine
	p.X.A0, p.X.A1, p.Y.A0, p.Y.A1 = fq(b), fq(b[32:]), fq(b[64:]), fq(b[96:])
	return p
}

func g1s(b []byte) []bn254.G1Affine {
	out := make([]bn254.G1Affine, len(b)/64)
	for i := range out {
		out[i] = g1(b[64*i:])
	}
	return out
}

func g2s(b []byte) []bn254.G2Affine {
	out := make([]bn254.G2Affine, len(b)/128)
	for i := range out {
		out[i] = g2(b[128*i:])
	}
	return out
}

func toOddCoset(d *fft.Domain, shift fr.Element, v []fr.Element) {
	d.FFTInverse(v, fft.DIF)
	fft.BitReverse(v)
	p := fr.One()
	for i := range v {
		v[i].Mul(&v[i], &p)
		p.Mul(&p, &shift)
	}
	d.FFT(v, fft.DIF)
	fft.BitReverse(v)
}

func dec(x fp.Element) string { return x.String() }

func main() {
	zkeyPath, wtnsPath, proofPath, publicPath := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	times := map[string]float64{}
	t := time.Now()
	lap := func(k string) {
		times[k] = float64(time.Since(t).Microseconds()) / 1000
		t = time.Now()
	}
	z, wt := open(zkeyPath), open(wtnsPath)
	h := z.sections[2]
	nVars, nPub, n := u32(h, 72), u32(h, 76), u32(h, 80)
	o := 84
	alpha1, beta1 := g1(h[o:]), g1(h[o+64:])
	beta2 := g2(h[o+128:])
	delta1, delta2 := g1(h[o+384:]), g2(h[o+448:])
	wb := wt.sections[2]
	w := make([]fr.Element, nVars)
	for i := range w {
		var e error
		w[i], e = fr.LittleEndian.Element((*[32]byte)(wb[32*i:]))
		must(e)
	}
	lap("read")

	// A and B on the domain; coefficients stored as the plain integer c*R^2, i.e. the Montgomery form of c*R
	a, b := make([]fr.Element, n), make([]fr.Element, n)
	cs := z.sections[4]
	unmont := fr.Element{1, 0, 0, 0} // the element whose Montgomery form is 1: R^-1
	for k := 0; k < u32(cs, 0); k++ {
		e := cs[4+44*k:]
		m, c, s := u32(e, 0), u32(e, 4), u32(e, 8)
		v := fr.Element{binary.LittleEndian.Uint64(e[12:]), binary.LittleEndian.Uint64(e[20:]), binary.LittleEndian.Uint64(e[28:]), binary.LittleEndian.Uint64(e[36:])}
		v.Mul(&v, &unmont).Mul(&v, &w[s])
		if m == 0 {
			a[c].Add(&a[c], &v)
		} else {
			b[c].Add(&b[c], &v)
		}
	}
	c := make([]fr.Element, n)
	for i := range c {
		c[i].Mul(&a[i], &b[i])
	}
	d := fft.NewDomain(uint64(n))
	shift, err := fft.Generator(uint64(2 * n))
	must(err)
	toOddCoset(d, shift, a)
	toOddCoset(d, shift, b)
	toOddCoset(d, shift, c)
	for i := range a {
		a[i].Mul(&a[i], &b[i]).Sub(&a[i], &c[i])
	}
	lap("H polynomial (NTTs)")

	cfg := ecc.MultiExpConfig{}
	var piA, pib1, piC, resH bn254.G1Jac
	var piB bn254.G2Jac
	_, err = piA.MultiExp(g1s(z.sections[5]), w, cfg)
	must(err)
	_, err = pib1.MultiExp(g1s(z.sections[6]), w, cfg)
	must(err)
	lap("MSM A, B1 (G1)")
	_, err = piB.MultiExp(g2s(z.sections[7]), w, cfg)
	must(err)
	lap("MSM B2 (G2)")
	_, err = piC.MultiExp(g1s(z.sections[8]), w[nPub+1:], cfg)
	must(err)
	lap("MSM C (G1)")
	_, err = resH.MultiExp(g1s(z.sections[9]), a, cfg)
	must(err)
	lap("MSM H (G1)")

	var r, s fr.Element
	r.SetRandom()
	s.SetRandom()
	big := func(x fr.Element) *big.Int { return x.BigInt(new(big.Int)) }
	mul1 := func(p bn254.G1Affine, k fr.Element) bn254.G1Jac {
		var j bn254.G1Jac
		j.FromAffine(&p)
		j.ScalarMultiplication(&j, big(k))
		return j
	}
	var tmp bn254.G1Jac
	piA.AddMixed(&alpha1)
	tmp = mul1(delta1, r)
	piA.AddAssign(&tmp)
	var d2 bn254.G2Jac
	d2.FromAffine(&delta2)
	d2.ScalarMultiplication(&d2, big(s))
	piB.AddMixed(&beta2)
	piB.AddAssign(&d2)
	pib1.AddMixed(&beta1)
	tmp = mul1(delta1, s)
	pib1.AddAssign(&tmp)
	piC.AddAssign(&resH)
	var aAff, b1Aff bn254.G1Affine
	aAff.FromJacobian(&piA)
	b1Aff.FromJacobian(&pib1)
	tmp = mul1(aAff, s)
	piC.AddAssign(&tmp)
	tmp = mul1(b1Aff, r)
	piC.AddAssign(&tmp)
	var rs fr.Element
	rs.Mul(&r, &s).Neg(&rs)
	tmp = mul1(delta1, rs)
	piC.AddAssign(&tmp)
	var cAff bn254.G1Affine
	var bAff bn254.G2Affine
	cAff.FromJacobian(&piC)
	bAff.FromJacobian(&piB)
	lap("finish")

	proof := map[string]any{
		"pi_a":     []string{dec(aAff.X), dec(aAff.Y), "1"},
		"pi_b":     [][]string{{dec(bAff.X.A0), dec(bAff.X.A1)}, {dec(bAff.Y.A0), dec(bAff.Y.A1)}, {"1", "0"}},
		"pi_c":     []string{dec(cAff.X), dec(cAff.Y), "1"},
		"protocol": "groth16",
		"curve":    "bn128",
	}
	pub := make([]string, nPub)
	for i := range pub {
		pub[i] = w[i+1].String()
	}
	write := func(f string, v any) {
		b, err := json.Marshal(v)
		must(err)
		must(os.WriteFile(f, b, 0o644))
	}
	write(proofPath, proof)
	write(publicPath, pub)
	out, _ := json.Marshal(times)
	fmt.Println(string(out))
}
