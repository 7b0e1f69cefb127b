// Narrow screens (phones) get cards instead of wide tables.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export function useNarrow(maxWidth = 768) {
  const narrow = ref(typeof window !== 'undefined' && window.innerWidth <= maxWidth)
  let mq = null
  const update = () => {
    narrow.value = mq ? mq.matches : window.innerWidth <= maxWidth
  }
  onMounted(() => {
    mq = window.matchMedia(`(max-width: ${maxWidth}px)`)
    mq.addEventListener('change', update)
    update()
  })
  onBeforeUnmount(() => mq && mq.removeEventListener('change', update))
  return narrow
}
