// Quicksort of 300,000 ints from an LCG: compares, swaps, recursion.
#define N 300000
static int v[N];
static void quicksort(int* p, int lo, int hi) {
  while (lo < hi) {
    int pivot = p[(lo + hi) >> 1], i = lo, j = hi;
    while (i <= j) {
      while (p[i] < pivot) i++;
      while (p[j] > pivot) j--;
      if (i <= j) {
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksort(p, lo, j);
      lo = i;
    } else {
      quicksort(p, i, hi);
      hi = j;
    }
  }
}
int run(void) {
  unsigned x = 42;
  for (int i = 0; i < N; i++) {
    x = x * 1664525u + 1013904223u;
    v[i] = (int)(x >> 1);
  }
  quicksort(v, 0, N - 1);
  unsigned h = 0;
  for (int i = 0; i < N; i += 97) h = h * 31 + (unsigned)v[i];
  return (int)h;
}
