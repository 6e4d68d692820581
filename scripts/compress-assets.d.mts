/** Writes `.gz` and `.br` copies of the compressible files in `<distDir>/assets`; resolves to how many. */
export function compressAssets(distDir: string): Promise<number>
