#include <cblas.h>
/* Not declared in every cblas.h; exported by OpenBLAS. */
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
char *openblas_get_config(void);
/* LAPACK symmetric eigendecomposition (Fortran ABI, exported by libopenblas). */
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);
