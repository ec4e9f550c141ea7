export declare const MANIFEST: string;
export declare function sha256(data: string | Buffer): string;
export declare function listFiles(dir: string, sub?: string): string[];
export declare function writeManifest(dir: string, sourcesHash: string): void;
export declare function verified(dir: string, sourcesHash: string, required: readonly string[]): boolean;
