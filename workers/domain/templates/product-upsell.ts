/**
 * "Product offer + upsell": an outdoor-gear brand sells one product. The sales page leads to a
 * short order form (the lead, and the hand-off to checkout), then a one-time upsell and the
 * thank-you page. Point the order form's success target at your checkout (a Stripe Payment Link
 * or a Shopify checkout) and that checkout's return URL at the upsell page.
 */
import type { PageContent, PageSettings, Theme } from '../blocks';
import { DEFAULT_SCORING } from '../scoring';
import type { FunnelTemplate } from './types';

const THEME: Theme = { primary: '#166534', background: '#fbfaf6', text: '#1c1917', fontStack: 'geometric' };

const settings = (title: string, description: string, noindex = false): PageSettings => ({
  title,
  description,
  noindex,
  lang: 'en',
  theme: THEME,
});

const product: PageContent = {
  settings: settings(
    'Trailhead Daypack 22L · Northbound Gear',
    'A 22-litre daypack that weighs 890 g, keeps the rain out and comes with a lifetime warranty. $129, free shipping.',
  ),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'The daypack that carries a whole day',
      subheadline:
        '22 litres, 890 grams, waterproof to the zips. Built for the trail, comfortable on the commute, and guaranteed for life.',
      image: {
        src: '/assets/templates/trailhead-daypack.svg',
        alt: 'The Trailhead Daypack in forest green, in front of mountains',
        width: 600,
        height: 480,
      },
      cta: { label: 'Get yours for $129', target: { kind: 'next' } },
    },
    {
      type: 'features',
      id: 'details',
      title: 'Made for long days out',
      items: [
        {
          icon: 'mountain',
          title: 'Trail-ready, city-smart',
          text: 'A ventilated back panel and stowable hip belt for the hills; a padded 16-inch laptop sleeve for Monday.',
        },
        {
          icon: 'droplet',
          title: 'Rain stays outside',
          text: 'Coated 420D nylon, taped seams and sealed zips. We tested it under a garden hose for twenty minutes.',
        },
        {
          icon: 'leaf',
          title: 'Recycled and repairable',
          text: 'Made from 100% recycled nylon, with buckles and straps you can replace yourself.',
        },
        {
          icon: 'shield',
          title: 'Guaranteed for life',
          text: 'If it fails, we repair or replace it. No receipt, no questions, no expiry date.',
        },
      ],
    },
    {
      type: 'testimonials',
      id: 'reviews',
      title: 'Rated 4.9 by 1,200 hikers',
      items: [
        {
          quote: 'Three days on the West Highland Way in proper Scottish rain and my spare socks stayed dry. That is all I ask of a bag.',
          author: 'Fiona MacLeod',
          role: 'Verified buyer',
          rating: 5,
        },
        {
          quote:
            'It is the only bag I own now. Laptop on weekdays, lunch and a jacket at the weekend, and it still looks new after a year.',
          author: 'Kenji Watanabe',
          role: 'Verified buyer',
          rating: 5,
        },
        {
          quote: 'Lovely bag. I would like one more small pocket on the hip belt, but the fit is perfect.',
          author: 'Sam Carter',
          role: 'Verified buyer',
          rating: 4,
        },
      ],
    },
    {
      type: 'offer',
      id: 'buy',
      badge: 'Free shipping',
      title: 'Trailhead Daypack 22L',
      description: 'In forest green, slate grey or sand. Ships within one to two business days.',
      priceMinor: 12_900,
      currency: 'USD',
      bullets: [
        '22 L main compartment with a 16-inch laptop sleeve',
        'Hip belt and sternum strap that tuck away',
        'Two stretch bottle pockets and a quick-grab top pocket',
        'Lifetime warranty and 60-day returns',
      ],
      buyLabel: 'Buy now for $129',
      buyTarget: { kind: 'next' },
      note: 'Free shipping in the US. Secure checkout.',
    },
    {
      type: 'faq',
      id: 'faq',
      title: 'Before you buy',
      items: [
        {
          question: 'Will it fit my laptop?',
          answer: 'The padded sleeve fits laptops up to 16 inches, including the 16-inch MacBook Pro.',
        },
        { question: 'Is it carry-on size?', answer: 'Yes. At 48 × 28 × 20 cm it fits under the seat on every major airline.' },
        {
          question: 'What if it does not suit me?',
          answer: 'Send it back within 60 days, used or not, and we refund you in full. Return shipping is on us.',
        },
      ],
    },
  ],
};

const order: PageContent = {
  settings: settings('Your order · Northbound Gear', 'Step 1 of 2: your details.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Almost yours',
      subheadline: 'Step 1 of 2: tell us where to send your order updates, then pay securely on the next step.',
    },
    {
      type: 'lead_form',
      id: 'order',
      title: 'Your details',
      fields: [
        { name: 'name', label: 'Full name', kind: 'name', required: true },
        { name: 'email', label: 'Email address', kind: 'email', required: true },
        { name: 'colour', label: 'Colour', kind: 'select', required: true, options: ['Forest green', 'Slate grey', 'Sand'] },
        { name: 'phone', label: 'Phone, for delivery updates', kind: 'phone', required: false },
      ],
      submitLabel: 'Continue to secure checkout',
      consent: { text: 'Email me trail guides and new-gear news from Northbound. I can unsubscribe at any time.', required: false },
      successTarget: { kind: 'page', slug: 'upsell' },
    },
  ],
};

const upsell: PageContent = {
  settings: settings('One more thing · Northbound Gear', 'A one-time offer for your order.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'One more thing before you go',
      subheadline: 'Add the packing-cube trio to your order for $19: 40% off, and only on this page.',
    },
    {
      type: 'offer',
      id: 'cubes',
      badge: 'One-time offer',
      title: 'Packing-cube trio',
      image: { src: '/assets/templates/packing-cubes.svg', alt: 'Three packing cubes in small, medium and large', width: 480, height: 360 },
      description:
        'Small, medium and large cubes cut to fit the Trailhead exactly: a day’s clothes, a rain layer and the small stuff, sorted.',
      priceMinor: 1_900,
      currency: 'USD',
      compareAtMinor: 3_200,
      bullets: [
        'Same recycled, water-resistant nylon as your pack',
        'Mesh tops so you can see what is inside',
        'Ships in the same box, at no extra cost',
      ],
      buyLabel: 'Yes, add the cubes for $19',
      buyTarget: { kind: 'next' },
      note: 'Ships in the same box as your daypack.',
    },
    {
      type: 'cta',
      id: 'skip',
      label: 'No thanks, finish my order',
      target: { kind: 'next' },
      appearance: 'link',
    },
  ],
};

const thanks: PageContent = {
  settings: settings('Thank you · Northbound Gear', 'Your Trailhead Daypack is on its way.', true),
  blocks: [
    {
      type: 'hero',
      id: 'hero',
      headline: 'Thank you! Your daypack is on its way',
      subheadline: 'Your receipt is in your inbox. We pack orders every weekday morning and email the tracking link when yours leaves.',
    },
    {
      type: 'rich_text',
      id: 'next',
      markdown: [
        '## Getting the best fit',
        '- **First, loosen every strap** before you put it on for the first time.',
        '- **Then tighten the hip belt**, so it sits on your hip bones and carries most of the weight.',
        '- **Next, the shoulder straps**, and last the sternum strap, just enough to stop them slipping.',
        '',
        'Anything not right? Write to [help@northbound.example](mailto:help@northbound.example) and a real person answers within a day.',
      ].join('\n'),
    },
    { type: 'cta', id: 'back', label: 'Back to the shop', target: { kind: 'page', slug: 'daypack' } },
  ],
};

export const PRODUCT_UPSELL: FunnelTemplate = {
  id: 'product-upsell',
  name: 'Product offer + upsell',
  goal: 'product',
  description:
    'An outdoor-gear brand sells one product: a sales page with reviews and FAQ, a two-step order form, a one-time upsell and a thank-you page. Connect the order step to your checkout.',
  suggestedName: 'Trailhead Daypack',
  suggestedSlug: 'trailhead-daypack',
  theme: THEME,
  pages: [
    { slug: 'daypack', name: 'Sales page', kind: 'landing', stage: 'awareness', content: product },
    { slug: 'order', name: 'Order form', kind: 'offer', stage: 'desire', content: order },
    { slug: 'upsell', name: 'One-time offer', kind: 'offer', stage: 'desire', content: upsell },
    { slug: 'thanks', name: 'Thank you', kind: 'thank_you', stage: 'desire', content: thanks },
  ],
  scoring: DEFAULT_SCORING,
  // Everyone who fills in the order form has reached desire; the score keeps out drive-by test orders.
  qualification: {
    name: 'Started an order → Lead qualification',
    conditions: [
      { kind: 'stage_reached', stage: 'desire' },
      { kind: 'score_at_least', score: 25 },
    ],
    pipeline: 'b2c',
    stage: 'Lead qualification',
    value: { kind: 'offer_price', offerPriceMinor: 12_900 },
    currency: 'USD',
    nameTemplate: '{campaign} - {lead.name}',
  },
};
