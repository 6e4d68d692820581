/// <reference types="vite/client" />

// Lets plain `tsc` type-check .ts files that import components; vue-tsc checks the components themselves.
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<Record<string, unknown>, object, unknown>
  export default component
}
