export { registerWasmTrainingKernels } from './register.js';
