// FNV-1a over a 1 MiB buffer filled by an LCG: byte loads and multiplies.
static unsigned char buf[1 << 20];
int run(void) {
  unsigned x = 12345;
  for (unsigned i = 0; i < sizeof buf; i++) {
    x = x * 1103515245u + 12345u;
    buf[i] = (unsigned char)(x >> 16);
  }
  unsigned h = 2166136261u;
  for (int r = 0; r < 24; r++) {
    for (unsigned i = 0; i < sizeof buf; i++) {
      h ^= buf[i];
      h *= 16777619u;
    }
  }
  return (int)h;
}
