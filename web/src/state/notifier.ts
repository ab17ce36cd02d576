import { signal } from '@preact/signals'

/**
 * Audible and desktop notifications for ringing chats. The desktop permission is asked once,
 * from a click (browsers ignore requests without a user gesture); the answer is remembered by the
 * browser itself.
 */
export function createNotifier() {
  const supported = typeof Notification !== 'undefined'
  const permission = signal<NotificationPermission | 'unsupported'>(supported ? Notification.permission : 'unsupported')
  let audio: AudioContext | undefined

  const beep = () => {
    try {
      audio ??= new AudioContext()
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.frequency.value = 880
      gain.gain.setValueAtTime(0.15, audio.currentTime)
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start()
      oscillator.stop(audio.currentTime + 0.4)
    } catch {
      // No audio device or autoplay blocked: the title and the banner still show the chat.
    }
  }

  return {
    permission,
    async ask(): Promise<void> {
      if (!supported) return
      permission.value = await Notification.requestPermission()
    },
    ring(count: number): void {
      beep()
      if (permission.value === 'granted' && document.visibilityState === 'hidden') {
        new Notification('Parley: a chat is waiting', {
          body: count === 1 ? 'One visitor is waiting for an agent.' : `${count} visitors are waiting.`,
          tag: 'parley-ringing',
        })
      }
    },
  }
}

export type Notifier = ReturnType<typeof createNotifier>
