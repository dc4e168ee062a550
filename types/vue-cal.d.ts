// vue-cal 4 ships no type declarations: the component is used through its documented props only.
declare module 'vue-cal' {
  import type { DefineComponent } from 'vue'
  const VueCal: DefineComponent<Record<string, unknown>, Record<string, unknown>, unknown>
  export default VueCal
}
