import type { FuncMap } from "../functions.js";

/** sprig v3 TxtFuncMap functions. */
export const sprigFunctions: FuncMap = {};
