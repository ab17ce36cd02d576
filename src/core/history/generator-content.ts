/**
 * Word pools and conversation scripts of the synthetic history generator. Templates use
 * `{slot}` placeholders filled per chat: order, product, city, amount, email, agent, name,
 * street, version. Texts mix everyday support language, searchable phrases ("order number",
 * "refund") and accented words (café, Zürich) so keyword search has something real to find.
 */

export interface TopicScript {
  name: string
  /** Visitor's first message. */
  openers: readonly string[]
  /** Visitor's follow-ups during the conversation. */
  visitor: readonly string[]
  /** Agent's answers during the conversation. */
  agent: readonly string[]
  /** Agent lines sent as HTML. */
  html: readonly string[]
  /** `serviceActivity` topics and categories for this script. */
  service: { topic: string; category: string }
}

export const TOPICS: readonly TopicScript[] = [
  {
    name: 'shipping',
    openers: [
      'Hi, I placed an order last week and it still has not arrived.',
      'Where is my package? My order number is {order}.',
      'Can you tell me when order {order} will ship?',
      'Hello, the tracking for my order {order} has not moved in 5 days.',
      'I ordered a {product} and it was supposed to be delivered yesterday.',
    ],
    visitor: [
      'The order number is {order}.',
      'The tracking page says it is stuck in {city}.',
      'I paid for express delivery, so this is really frustrating.',
      'Can you change the delivery address to {street}?',
      'Will the courier call me before delivery?',
      'I will not be home on Friday, can it be delivered to the café next door?',
      'It was a gift for my sister in {city}.',
      'Is there any way to speed it up?',
    ],
    agent: [
      'I am sorry to hear that. Could you give me your order number?',
      'Let me check the status of order {order} for you.',
      'I can see the parcel left our warehouse in {city} yesterday.',
      'It should arrive within 2 business days.',
      'I have upgraded your shipping to express at no cost.',
      'The courier will send you a text message with a delivery window.',
      'I have updated the delivery address on order {order}.',
    ],
    html: [
      'You can follow your parcel here: <a href="https://track.example.com/{order}">track order {order}</a>',
      '<b>Delivery estimate:</b> 2 business days from {city}',
    ],
    service: { topic: 'late delivery', category: 'shipping' },
  },
  {
    name: 'billing',
    openers: [
      'I was charged twice for my subscription this month.',
      'Why is there an extra fee of {amount} on my invoice?',
      'I need a refund for a duplicate payment.',
      'Hi, my credit card was declined but the money was taken anyway.',
      'Can I get an invoice with my company name on it?',
    ],
    visitor: [
      'The charge is {amount} and it appeared on my statement twice.',
      'I want a refund, not store credit.',
      'How long does the refund take?',
      'My email is {email} if you need it.',
      'That fee was never mentioned when I signed up.',
      'Can you cancel the automatic renewal?',
      'I paid with PayPal, not with my card.',
    ],
    agent: [
      'I can see two charges of {amount} on your account.',
      'I have issued a refund of {amount}; it takes 3 to 5 business days.',
      'The fee is the annual service charge described in your plan.',
      'I have cancelled the automatic renewal for you.',
      'I will send a corrected invoice to {email}.',
      'Could you confirm the last four digits of the card you used?',
    ],
    html: [
      'Here is a summary of your refund: <ul><li>Amount: {amount}</li><li>Order number: {order}</li></ul>',
      'See our <a href="https://help.example.com/billing">billing FAQ</a> for details.',
    ],
    service: { topic: 'refund request', category: 'billing' },
  },
  {
    name: 'tech',
    openers: [
      'My {product} will not turn on after the latest update.',
      'The {product} keeps disconnecting from Wi-Fi.',
      'The app crashes every time I open the settings page.',
      'How do I pair my {product} with my phone?',
      'Hi, the screen of my {product} flickers constantly.',
    ],
    visitor: [
      'It is running firmware {version}.',
      'I already tried restarting it twice.',
      'The light is blinking orange.',
      'Yes, the battery is fully charged.',
      'It worked fine until yesterday.',
      'I use it mostly at the office in {city}.',
      'Still not working, same error.',
      'Ok, it is restarting now.',
    ],
    agent: [
      'Could you tell me which firmware version your {product} runs?',
      'Please hold the power button for 10 seconds to reset it.',
      'Let us try reinstalling the app.',
      'Firmware {version} has a known issue; version 4.2.1 fixes it.',
      'Could you check whether Bluetooth is enabled on your phone?',
      'I will open a repair ticket for your {product}.',
      'Please unplug the router for 30 seconds and plug it back in.',
    ],
    html: [
      '<b>Tip:</b> go to Settings &gt; System &gt; Update to install firmware 4.2.1',
      'Step by step guide: <a href="https://help.example.com/reset">reset your {product}</a>',
    ],
    service: { topic: 'device not working', category: 'technical support' },
  },
  {
    name: 'returns',
    openers: [
      'I would like to return the {product} I bought last month.',
      'The item arrived damaged, what can I do?',
      'How do I get a return label?',
      'I received the wrong size and want to exchange it.',
      'Can I return a {product} I bought at your store in {city}?',
    ],
    visitor: [
      'The box was crushed and the {product} is scratched.',
      'I still have the receipt.',
      'I would prefer a refund to an exchange.',
      'Can I drop it off at the store in {city}?',
      'The order number is {order}.',
      'Do I have to pay for the return shipping?',
    ],
    agent: [
      'I have emailed you a prepaid return label.',
      'Once we receive the item, the refund will be processed within 5 days.',
      'You can return it to any of our stores, including {city}.',
      'I am sorry the {product} arrived damaged; we will send a replacement.',
      'Returns are free within 30 days of delivery.',
    ],
    html: ['Print your label here: <a href="https://returns.example.com/{order}">return label</a>'],
    service: { topic: 'product return', category: 'returns' },
  },
  {
    name: 'account',
    openers: [
      'I cannot log in to my account.',
      'I forgot my password and the reset email never arrives.',
      'My account is locked after too many attempts.',
      'How do I change the email address on my account?',
      'Someone else seems to have used my account.',
    ],
    visitor: [
      'My username is {email}.',
      'I checked the spam folder, nothing there.',
      'I have not received any code by text message.',
      'I changed my phone number recently.',
      'Please delete my old address in {city}.',
      'It says my password is incorrect.',
    ],
    agent: [
      'I have sent a new password reset link to {email}.',
      'For security, can you confirm your date of birth?',
      'I have unlocked your account; please try again now.',
      'I recommend enabling two-factor authentication.',
      'The email address on your account is now updated.',
    ],
    html: ['Reset your password here: <a href="https://account.example.com/reset">reset password</a>'],
    service: { topic: 'account access', category: 'account maintenance' },
  },
  {
    name: 'stores',
    openers: [
      'Is your Zürich store open on Sunday?',
      'Do you still have the café in the Genève shop?',
      'Is the {product} in stock at the {city} store?',
      'Can I pick up my online order at a store?',
    ],
    visitor: [
      'I would like to pick it up this afternoon.',
      'What time does the café close?',
      'Is there parking near the store in {city}?',
      'Great, I will come by after work.',
      'Do you have it in black?',
    ],
    agent: [
      'The {city} store is open from 9:00 to 18:00, Sunday included.',
      'The café closes one hour before the store.',
      'I can reserve the {product} for you until tomorrow.',
      'Yes, click and collect is available for order {order}.',
      'There is a public car park right next to the store.',
    ],
    html: ['Find opening hours on the <a href="https://www.example.com/stores">store locator</a>'],
    service: { topic: 'store visit', category: 'retail' },
  },
]

export const PRODUCTS = [
  'iPad',
  'Galaxy Tab S9',
  'AcmePhone X2',
  'SmartHome Hub',
  'Nimbus Router AX6000',
  'Zephyr Headphones',
  'Aurora Smartwatch',
  'crème brûlée torch',
  'espresso machine',
  'Velo e-bike',
  'Orbit Vacuum',
  'Pixel Buds',
] as const

export const CITIES = [
  'Zürich',
  'Genève',
  'München',
  'São Paulo',
  'Málaga',
  'Kraków',
  'Montréal',
  'Reykjavík',
  'Paris',
  'London',
  'New York',
  'Tel Aviv',
  'Austin',
  'Sydney',
] as const

export const STREETS = ['12 Rue du Rhône', '5 Bahnhofstrasse', '221B Baker Street', '77 Calle Larios', '9 Elm Street']

export const FIRST_NAMES = [
  'José',
  'Zoë',
  'François',
  'Renée',
  'Björn',
  'Søren',
  'Anna',
  'Liam',
  'Noa',
  'Mateo',
  'Chloé',
  'Ines',
  'Yusuf',
  'Emma',
  'Oliver',
  'Mia',
] as const

export const SURNAMES = ['Müller', 'García', 'Dubois', 'Smith', 'Cohen', 'Rossi', 'Nowak', 'Jónsson', 'Silva', 'Brown']

/** Visitor reactions by mood; their sentiment drives the engagement's MCS. */
export const REACTIONS = {
  positive: [
    'Thanks, that was really helpful!',
    'Great, thank you so much!',
    'Perfect, problem solved.',
    'Awesome, I love your service.',
    'That is excellent news, thanks.',
    'Wonderful, you have been very kind.',
  ],
  neutral: ['Ok.', 'I see.', 'Let me check.', 'One moment please.', 'Alright.', 'Sure.'],
  negative: [
    'This is ridiculous, I have been waiting for two weeks.',
    'I am very disappointed and angry.',
    'That is not acceptable, terrible service.',
    'Worst experience ever.',
    'I am angry, nobody answered my emails.',
    'Terrible, this is a waste of my time.',
  ],
} as const

export const GREETINGS = [
  'Hi, my name is {agent}. How can I help you today?',
  'Hello and welcome! I am {agent}, what can I do for you?',
  'Good day, {agent} here. How may I assist you?',
] as const

export const AGENT_CLOSINGS = [
  'Is there anything else I can help you with?',
  'Thank you for contacting us, have a great day!',
  'Glad I could help. Enjoy your day!',
] as const

export const VISITOR_CLOSINGS = {
  positive: ['No, that is all. Thanks a lot!', 'Nothing else, great help, thanks!'],
  neutral: ['No, that is all.', 'Bye.'],
  negative: [
    'No, this was useless and frustrating.',
    'Terrible service, goodbye.',
    'I am still unhappy, this is not resolved.',
  ],
} as const

export const AGENT_NOTES = [
  'Customer is a VIP, handle with care.',
  'Second contact about order {order} this week.',
  'Visitor asked for a refund of {amount}, needs supervisor approval.',
  'Possible fraud on this account, verify identity first.',
] as const

export const URL_LINES = [
  'https://help.example.com/returns',
  'https://help.example.com/shipping',
  'https://www.example.com/products/{order}',
] as const

export const SYSTEM_TEXTS = {
  routing: 'Thank you for choosing to chat with us. An agent will be with you shortly.',
  ended: 'Thank you for chatting with us.',
  transferAgent: 'Please wait while you are transferred to another agent.',
  transferSkill: 'Please wait while you are transferred to another department.',
  requeued: 'Your chat has been returned to the queue. An agent will be with you shortly.',
  disconnected: 'The chat was disconnected.',
} as const

export const DEVICES = [
  { device: 'DESKTOP', os: 'WINDOWS', browsers: ['Chrome 120.0.6099.109', 'Edge 120.0.2210.61', 'Firefox 121.0'] },
  { device: 'DESKTOP', os: 'MAC_OSX', browsers: ['Safari 17.2', 'Chrome 120.0.6099.109'] },
  { device: 'DESKTOP', os: 'LINUX', browsers: ['Firefox 121.0', 'Chrome 119.0.6045.199'] },
  { device: 'MOBILE', os: 'IOS', browsers: ['Safari 17.1', 'Chrome 120.0.6099.119'] },
  { device: 'MOBILE', os: 'ANDROID', browsers: ['Chrome 120.0.6099.43', 'Samsung Internet 23.0'] },
  { device: 'TABLET', os: 'IOS', browsers: ['Safari 16.6'] },
  { device: 'TABLET', os: 'ANDROID', browsers: ['Chrome 118.0.5993.111'] },
] as const

export const GEO = [
  { country: 'Switzerland', countryCode: 'CH', state: 'Zurich', city: 'Zürich', isp: 'Swisscom', org: 'Swisscom AG' },
  { country: 'Switzerland', countryCode: 'CH', state: 'Geneva', city: 'Genève', isp: 'Sunrise', org: 'Sunrise GmbH' },
  { country: 'Germany', countryCode: 'DE', state: 'Bavaria', city: 'München', isp: 'Telekom', org: 'Deutsche Telekom' },
  { country: 'Brazil', countryCode: 'BR', state: 'São Paulo', city: 'São Paulo', isp: 'Vivo', org: 'Telefônica' },
  { country: 'Spain', countryCode: 'ES', state: 'Andalusia', city: 'Málaga', isp: 'Movistar', org: 'Telefónica' },
  { country: 'United States', countryCode: 'US', state: 'New York', city: 'New York', isp: 'Verizon', org: 'Verizon' },
  { country: 'United States', countryCode: 'US', state: 'Texas', city: 'Austin', isp: 'AT&T', org: 'AT&T Services' },
  { country: 'United Kingdom', countryCode: 'GB', state: 'England', city: 'London', isp: 'BT', org: 'British Telecom' },
  { country: 'Israel', countryCode: 'IL', state: 'Tel Aviv', city: 'Tel Aviv', isp: 'Bezeq', org: 'Bezeq' },
  { country: '', countryCode: '', state: '', city: '', isp: '', org: '' },
] as const

export const START_PAGES = [
  'https://www.example.com/',
  'https://www.example.com/checkout',
  'https://www.example.com/account/orders',
  'https://www.example.com/products/{order}',
  'https://shop.example.com/support',
] as const

export const SURVEY_QUESTIONS = {
  preChat: {
    surveyID: 40216,
    name: 'Pre-chat Survey',
    questions: [
      {
        questionID: 12786273,
        displayName: 'With whom would you like to chat?',
        answers: ['Sales', 'Support', 'Billing'],
      },
      { questionID: 16314710, displayName: 'What is your name?', answers: null },
      { questionID: 16314711, displayName: 'What is your order number?', answers: null },
    ],
  },
  postChat: {
    surveyID: 222726,
    name: 'Post-chat Survey v2 (All Channels)',
    questions: [
      { questionID: 9, displayName: 'How was the visit?', answers: ['It was good', 'It was ok', 'It was bad'] },
      { questionID: 10, displayName: 'Would you recommend us to a friend?', answers: ['Yes', 'No'] },
      { questionID: 11, displayName: 'Any other comments?', answers: null },
    ],
  },
  operator: {
    surveyID: 361348,
    name: 'Agent Survey',
    questions: [
      { questionID: 4991315, displayName: 'Was the issue resolved?', answers: ['Yes', 'No', 'Partially'] },
      {
        questionID: 4991316,
        displayName: 'Reason for contact',
        answers: ['Shipping', 'Billing', 'Technical', 'Returns', 'Account'],
      },
      { questionID: 4991317, displayName: 'Notes', answers: null },
    ],
  },
} as const

export const SURVEY_COMMENTS = [
  'Quick and friendly, thank you.',
  'The agent solved my problem with the refund.',
  'Too long a wait before someone answered.',
  'Great service at the Zürich café.',
  'Order number was found right away.',
] as const
