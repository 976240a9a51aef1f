#include <cblas.h>
/* Not declared in every cblas.h; exported by OpenBLAS. */
char *openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);
char *openblas_get_config(void);
