/** Query parameters read as the API server decodes them into its options structs. */

/**
 * A boolean query parameter. apimachinery pkg/runtime/conversion.go
 * (Convert_Slice_string_To_bool, used for ListOptions.watch/allowWatchBookmarks,
 * PodLogOptions.follow, PodExecOptions.stdin/tty, …): absent, `0` or any casing of `false` is
 * false; anything else — `true`, `True` (what the Python client sends), `T`, `1`, even an empty
 * value — is true.
 */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null) return false;
  return !(v === "0" || v.toLowerCase() === "false");
}
