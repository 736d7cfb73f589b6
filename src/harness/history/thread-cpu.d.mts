// Types of thread-cpu.mjs (plain JavaScript, also used by the history worker thread).
export declare function threadCpuMs(): number | undefined;
