;; Crosswalk's X12 separator scan, vectorized (WebAssembly SIMD, 16 bytes at a time).
;;
;; mark(len, base, terminator, element) reads the bytes at [0, len) of memory (len <= 65536) and writes, in order,
;; one i32 per element separator, segment terminator and line feed among them to [65552, ...):
;;   element separator   base + index
;;   terminator          0x40000000 + base + index
;;   line feed           0x20000000 + base + index
;; and returns how many it wrote. A byte that is both the terminator and a line feed is a terminator; one that is
;; both the element separator and a line feed is an element separator. This is the same table of marks the plain
;; JavaScript scan in marks.ts writes; `npm run build:wasm` turns this file into marks-wasm.ts.
(module
  (memory (export "memory") 6)
  (func (export "mark") (param $len i32) (param $base i32) (param $term i32) (param $elem i32) (result i32)
    (local $i i32) (local $bits i32) (local $j i32) (local $out i32) (local $b i32)
    (local $vt v128) (local $ve v128) (local $vl v128) (local $v v128)
    (local.set $vt (i8x16.splat (local.get $term)))
    (local.set $ve (i8x16.splat (local.get $elem)))
    (local.set $vl (i8x16.splat (i32.const 10)))
    (local.set $out (i32.const 65552))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        ;; One bit per byte of the block that is any of the three.
        (local.set $v (v128.load (local.get $i)))
        (local.set $bits
          (i8x16.bitmask
            (v128.or
              (v128.or (i8x16.eq (local.get $v) (local.get $vt)) (i8x16.eq (local.get $v) (local.get $ve)))
              (i8x16.eq (local.get $v) (local.get $vl)))))
        ;; The last block may run past len: those bytes are not the input's.
        (if (i32.gt_u (i32.add (local.get $i) (i32.const 16)) (local.get $len))
          (then
            (local.set $bits
              (i32.and (local.get $bits)
                (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $len) (local.get $i))) (i32.const 1))))))
        ;; A mark per set bit, lowest first.
        (block $none
          (loop $each
            (br_if $none (i32.eqz (local.get $bits)))
            (local.set $j (i32.add (local.get $i) (i32.ctz (local.get $bits))))
            (local.set $b (i32.load8_u (local.get $j)))
            (i32.store (local.get $out)
              (i32.add (i32.add (local.get $j) (local.get $base))
                (select (i32.const 0x40000000)
                  (select (i32.const 0) (i32.const 0x20000000) (i32.eq (local.get $b) (local.get $elem)))
                  (i32.eq (local.get $b) (local.get $term)))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $bits (i32.and (local.get $bits) (i32.sub (local.get $bits) (i32.const 1))))
            (br $each)))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (i32.shr_u (i32.sub (local.get $out) (i32.const 65552)) (i32.const 2))))
