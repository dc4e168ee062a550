declare module '#xq-i18n-server-plugin' {
  import type { NitroAppPlugin } from 'nitropack/types'

  const plugin: NitroAppPlugin
  export default plugin
}
