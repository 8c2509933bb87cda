"""Turkish phrase lexicon for the synthetic classifier data set."""

LANG = "tr"
SEP = " "
GREET = ["Merhaba,", "İyi günler,", "Sayın yetkili,", "Merhabalar,", "Selam,", "Değerli müşteri hizmetleri,"]
CLOSE = [
    "Şimdiden teşekkürler.",
    "Saygılarımla,",
    "İyi çalışmalar.",
    "Teşekkür ederim.",
    "Kolay gelsin.",
    "Yardımınız için teşekkürler.",
]
NAMES = ["Ahmet Yılmaz", "Ayşe Demir", "Mehmet Kaya", "Elif Çelik", "Can"]
SIGN = [
    "iPhone'umdan gönderildi",
    "--\n{name}\nAtatürk Cad. No:12, Kadıköy/İstanbul\nTel: +90 532 123 45 67",
    "{name}\nCep: 0532 123 45 67",
]
QUOTE_HEAD = [
    "3 Haz 2024 Pzt 10:12 tarihinde Müşteri Hizmetleri <support@shop.example> şunu yazdı:",
    "-----Özgün İleti-----\nKimden: Müşteri Hizmetleri <support@shop.example>",
]
QUOTE_BODY = [
    "Bizimle iletişime geçtiğiniz için teşekkür ederiz. 48 saat içinde dönüş yapacağız.",
    "Talep numaranız 88412. Başka sorunuz varsa bu e-postayı yanıtlayabilirsiniz.",
    "Yaşadığınız sorun için özür dileriz, konuyu inceliyoruz.",
]
PRODUCTS = ["ceket", "kanepe", "kahve makinesi", "koşu ayakkabısı", "lamba", "blender", "sırt çantası", "bisiklet"]
ORDER_REF = ["{n} numaralı sipariş", "sipariş no {n}", "sipariş numarası {n}", "sipariş #{n}", "#{n}"]
AMOUNT = ["{n} TL", "₺{n}", "{n},50 TL", "TRY {n}", "{n} lira"]
INTENTS = {
    "order_status": [
        "Kargom nerede? Hâlâ teslim almadım.",
        "{o} ne zaman teslim edilecek?",
        "{o} için kargo takibi beş gündür güncellenmedi.",
        "Geçen hafta bir {p} sipariş ettim ve o zamandan beri haber yok. Durumu nedir?",
        "{p} kargoya verildi mi?",
        "Paket dün gelmeliydi ama hiç gelmedi. {o} ne oldu?",
        "Takipte teslim edildi yazıyor ama bana hiçbir şey gelmedi.",
        "siparişim ne zaman gelir",
        "{o} şu an nerede söyleyebilir misiniz?",
    ],
    "order_change": [
        "{o} için teslimat adresini değiştirmem gerekiyor.",
        "Kargoya verilmeden önce {o} siparişine bir {p} daha ekleyebilir miyim?",
        "Lütfen {p} bedenini M'den L'ye değiştirin.",
        "{o} içindeki {p} rengini siyah yapmak istiyorum.",
        "{o} gelecek cuma teslim edilebilir mi?",
        "Siparişte hata yaptım, göndermeden önce {p} ürününü başka bir modelle değiştirebilir miyim?",
        "Lütfen {o} adresini Cumhuriyet Sokak 5 olarak güncelleyin.",
        "siparişimi hızlı kargoya çevirebilir miyim",
        "{o} içinden bir ürünü çıkarmak istiyorum, gerisi kalsın.",
    ],
    "cancellation": [
        "Lütfen {o} iptal edin.",
        "Aboneliğimi iptal etmek istiyorum.",
        "{p} artık lazım değil, kargoya vermeden siparişi iptal edin lütfen.",
        "Üyeliğimi nasıl iptal ederim?",
        "Siparişimi iptal edin lütfen, yanlışlıkla verdim.",
        "Sözleşmemi ay sonunda feshetmek istiyorum.",
        "Aboneliğimi durdurun ve yenilemeyin.",
        "sipariş {n} iptal",
        "Fikrimi değiştirdim, {o} hemen iptal edilsin.",
    ],
    "refund_return": [
        "{p} ürününü iade etmek istiyorum, olmadı.",
        "{o} için paramı nasıl geri alırım?",
        "{p} ürününü iki hafta önce geri gönderdim ama param hâlâ yatmadı.",
        "{p} ürününü bir büyük bedenle değiştirebilir miyim?",
        "Lütfen {a} iade edin, ürün kusurluydu.",
        "{o} için iade kodu alabilir miyim?",
        "{p} kırık geldi, paramı geri istiyorum.",
        "iadem nerede",
        "Paketi iade ettim ama {a} tutarındaki geri ödeme hâlâ yok.",
    ],
    "billing": [
        "{o} için iki kez ücret alındı.",
        "Faturamda {a} yazıyor ama sadece bir {p} sipariş ettim.",
        "Bu ay kartımdan neden {a} çekildi?",
        "{o} faturasının bir kopyasını gönderebilir misiniz?",
        "Ödeme başarısız oldu ama para hesabımdan çekildi.",
        "Faturamdaki vergi numarası yanlış.",
        "Hesap ekstremde tanımadığım {a} tutarında bir çekim var.",
        "yine iki kere çekim yapılmış",
        "Lütfen son faturamdaki fatura bilgilerini düzeltin.",
    ],
    "complaint": [
        "Aldığım hizmetten hiç memnun değilim.",
        "Kuryeniz bana karşı çok kaba davrandı.",
        "Teslimatım üçüncü kez gecikti, bu kabul edilemez.",
        "{p} kalitesi berbat, çok daha iyisini bekliyordum.",
        "Ne telefonlara bakan var ne de e-postalarıma cevap veren.",
        "Mağazanızda bana yapılan muameleden şikayetçiyim.",
        "Yaşadığım en kötü müşteri deneyimi.",
        "rezalet hizmet, çok hayal kırıklığı",
        "Personeliniz yardımcı olmadı ve bir saat hatta bekledim.",
    ],
    "technical_support": [
        "Uygulamaya giriş yapamıyorum, hata 500 veriyor.",
        "Ödeme yapmaya çalışınca site çöküyor.",
        "Son güncellemeden sonra {p} açılmıyor.",
        "Şifre sıfırlama e-postası hiç gelmedi.",
        "Siparişlerimi açtığımda uygulama donuyor.",
        "{p} Bluetooth bağlantısı sürekli kopuyor.",
        "Telefonumda ödeme sayfası bembeyaz kalıyor.",
        "uygulama çalışmıyor",
        "Cihazı eşleştirmeye çalışınca hata mesajı alıyorum.",
    ],
    "account_update": [
        "Lütfen e-posta adresimi aşağıdaki yenisiyle güncelleyin.",
        "Hesabımdaki telefon numarasını değiştirmek istiyorum.",
        "Hesabımı ve tüm verilerimi nasıl silerim?",
        "Lütfen hesaptaki soyadımı değiştirin, evlendim.",
        "Profilimdeki varsayılan adresi güncelleyebilir misiniz?",
        "Lütfen beni bültenden çıkarın.",
        "Müşteri hesabımın şifresini değiştirmem gerekiyor.",
        "telefon numaramı güncelleyin lütfen",
        "İki müşteri hesabımı birleştirebilir misiniz?",
    ],
    "product_inquiry": [
        "{p} mavi renkte stokta var mı?",
        "{p} ölçüleri nedir?",
        "{p} su geçirmez mi?",
        "{p} ne zaman tekrar stoğa girer?",
        "{p} garantili mi?",
        "180 cm boyundaki biri için hangi bedeni önerirsiniz?",
        "{p} dışarıda kullanılabilir mi?",
        "hediye kartı satıyor musunuz",
        "Büyük boy {p} fiyatı ne kadar?",
    ],
    "other": [
        "Dünkü yardımınız için çok teşekkür ederim!",
        "Deponuzda açık iş pozisyonu var mı?",
        "Ekibinizin harika iş çıkardığını söylemek istedim.",
        "Kimsiniz? Bu numaradan mesaj aldım.",
        "Şirketinize bir iş birliği önermek istiyoruz.",
        "Tüm ekibe mutlu bayramlar!",
        "Pazar günü açık mısınız?",
        "teşekkürler",
        "Lütfen bunu pazarlama departmanınıza iletin.",
    ],
}
SUBJECTS = {
    "order_status": ["Siparişim nerede?", "Kargo durumu", "Sipariş {o}"],
    "order_change": ["Sipariş değişikliği", "Yeni teslimat adresi"],
    "cancellation": ["İptal talebi", "Abonelik iptali"],
    "refund_return": ["İade", "Para iadesi"],
    "billing": ["Fatura sorusu", "Çift çekim"],
    "complaint": ["Şikayet", "Hiç memnun değilim"],
    "technical_support": ["Uygulama sorunu", "Giriş yapamıyorum"],
    "account_update": ["Hesap güncelleme", "Yeni e-posta"],
    "product_inquiry": ["Ürün hakkında soru", "Stok durumu"],
    "other": ["Merhaba", "Teşekkürler"],
}
URGENT = [
    "{p} duman çıkarmaya başladı ve alev aldı!",
    "Çocuğum yaralandı, bu çok tehlikeli.",
    "Teknisyeniniz gittiğinden beri gaz kokuyor.",
]
HIGH = [
    "Acil, bugün lazım.",
    "Acil, lütfen en kısa sürede dönün.",
    "Çözülmezse avukatıma başvuracağım.",
    "Tüketici hakem heyetine şikayet edeceğim.",
    "Yoksa bunu Twitter'da paylaşacağım.",
]
LOW = ["Acelesi yok, müsait olduğunuzda dönün.", "Acil değil."]
ANGRY = ["Bu bir rezalet!", "Çok sinirliyim.", "Kesinlikle kabul edilemez!!"]
