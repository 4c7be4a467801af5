// The module of tests/cli_cache_test.sh, compiled to wasm32 by clang (a
// genrule in tests/BUILD): real compiler output with tables, loops, memory
// and calls, not hand-written bytes.
typedef unsigned int u32;

static u32 crc_table[256];
static unsigned char buffer[4096];
static u32 numbers[512];

static void crc_init(void) {
  for (u32 i = 0; i < 256; ++i) {
    u32 c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

// CRC-32 of the bytes 0, 1, 2, … (mod 256), n of them (at most 4096).
__attribute__((export_name("crc_of_counting"))) u32 crc_of_counting(u32 n) {
  if (!crc_table[1]) crc_init();
  if (n > sizeof buffer) n = sizeof buffer;
  for (u32 i = 0; i < n; ++i) buffer[i] = (unsigned char)i;
  u32 c = 0xFFFFFFFFu;
  for (u32 i = 0; i < n; ++i) c = crc_table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static void sort(u32* a, int lo, int hi) {
  while (lo < hi) {
    u32 pivot = a[(lo + hi) / 2];
    int i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        u32 t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (j - lo < hi - i) {
      sort(a, lo, j);
      lo = i;
    } else {
      sort(a, i, hi);
      hi = j;
    }
  }
}

// Sorts n (at most 512) pseudo-random numbers; returns the median.
__attribute__((export_name("median_of_random"))) u32 median_of_random(u32 n, u32 seed) {
  if (n == 0) return 0;
  if (n > 512) n = 512;
  for (u32 i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    numbers[i] = seed >> 8;
  }
  sort(numbers, 0, (int)n - 1);
  return numbers[n / 2];
}
