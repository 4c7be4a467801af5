// Dense double matrix multiply, 160x160: f64 loads, multiply-adds.
#define N 160
static double a[N][N], b[N][N], c[N][N];
int run(void) {
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) {
      a[i][j] = (double)(i + j) / N;
      b[i][j] = (double)(i - j) / N;
    }
  }
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++) {
      double s = 0;
      for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  }
  double t = 0;
  for (int i = 0; i < N; i++) t += c[i][i] + c[i][N - 1 - i];
  return (int)(t * 1000);
}
