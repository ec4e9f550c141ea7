/**
 * A deep copy of login data (the JSON-like objects Auth0 hands to rules and actions: plain objects, arrays,
 * strings, numbers, booleans, null, undefined, Dates). It replaces `structuredClone`, which serialises through
 * V8's value serializer and costs several times more per login; objects of other realms (a vm context's
 * `{}`) are copied like local ones. Anything else (a function, a Map, a class instance) is a test mistake
 * and is refused with the path to the value, as `structuredClone` would refuse a function.
 */
export function copyData<T>(value: T, path = "value"): T {
  if (value === null || typeof value !== "object") {
    if (typeof value === "function" || typeof value === "symbol") {
      throw new TypeError(`${path} is a ${typeof value}; login data must be plain data (objects, arrays, strings, numbers, booleans, null)`);
    }
    return value;
  }
  if (Array.isArray(value)) return value.map((item, index) => copyData(item, `${path}[${index}]`)) as T;
  const tag = Object.prototype.toString.call(value);
  if (tag === "[object Date]") return new Date((value as unknown as Date).getTime()) as T;
  if (tag !== "[object Object]") {
    throw new TypeError(`${path} is a ${tag.slice(8, -1)}; login data must be plain data (objects, arrays, strings, numbers, booleans, null)`);
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = copyData((value as Record<string, unknown>)[key], `${path}.${key}`);
  return copy as T;
}
