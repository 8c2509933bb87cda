"""Spanish phrase lexicon for the synthetic classifier data set."""

LANG = "es"
SEP = " "
GREET = [
    "Hola,",
    "Buenos días,",
    "Estimado servicio de atención al cliente,",
    "Buenas tardes,",
    "Hola buenas,",
    "Saludos,",
]
CLOSE = [
    "Gracias de antemano.",
    "Un saludo,",
    "Saludos cordiales,",
    "Atentamente,",
    "Gracias por su ayuda.",
    "Quedo a la espera.",
]
NAMES = ["María García", "Juan López", "Lucía", "Carlos Martínez", "Ana Fernández"]
SIGN = [
    "Enviado desde mi iPhone",
    "--\n{name}\nCalle Mayor 12, 28013 Madrid\nTel.: +34 612 345 678",
    "{name}\nMóvil: 612 34 56 78",
]
QUOTE_HEAD = [
    "El lun, 3 jun 2024 a las 10:12, Atención al cliente <support@shop.example> escribió:",
    "-----Mensaje original-----\nDe: Atención al cliente <support@shop.example>\nEnviado el: martes, 14 de mayo de 2024 9:02",  # noqa: E501
]
QUOTE_BODY = [
    "Gracias por contactarnos. Le responderemos en un plazo de 48 horas.",
    "Su número de caso es 88412. Responda a este correo si tiene más preguntas.",
    "Lamentamos las molestias y estamos revisando su caso.",
]
PRODUCTS = ["chaqueta", "sofá", "cafetera", "zapatillas", "lámpara", "batidora", "mochila", "bicicleta"]
ORDER_REF = ["pedido {n}", "pedido nº {n}", "número de pedido {n}", "pedido #{n}", "#{n}"]
AMOUNT = ["{n} €", "{n},50 €", "EUR {n}", "{n} euros", "${n}"]
INTENTS = {
    "order_status": [
        "¿Dónde está mi paquete? Todavía no me ha llegado.",
        "¿Cuándo van a entregar el {o}?",
        "El seguimiento del {o} no se ha actualizado en cinco días.",
        "Pedí una {p} la semana pasada y no sé nada desde entonces. ¿Cuál es el estado?",
        "¿Ya han enviado mi {p}?",
        "El paquete tenía que llegar ayer pero nunca llegó. ¿Qué pasa con el {o}?",
        "El seguimiento dice entregado pero no he recibido nada.",
        "cuando llega mi pedido",
        "¿Me pueden decir por dónde va el {o}?",
    ],
    "order_change": [
        "Necesito cambiar la dirección de entrega del {o}.",
        "¿Puedo añadir otra {p} al {o} antes de que lo envíen?",
        "Por favor, cambien la talla de mi {p} de M a L.",
        "Quiero cambiar el color de la {p} del {o} a negro.",
        "¿Pueden entregar el {o} el viernes que viene en lugar de mañana?",
        "Me equivoqué en el pedido, ¿puedo cambiar la {p} por otro modelo antes del envío?",
        "Por favor, modifiquen la dirección del {o} a Calle Sol 5.",
        "puedo cambiar mi pedido a envío urgente express",
        "Quiero quitar un artículo del {o}, lo demás está bien.",
    ],
    "cancellation": [
        "Por favor, cancelen el {o}.",
        "Quiero dar de baja mi suscripción.",
        "Ya no necesito la {p}, cancelen el pedido antes de enviarlo por favor.",
        "¿Cómo cancelo mi membresía?",
        "Cancelen mi pedido por favor, lo hice por error.",
        "Quiero rescindir mi contrato a final de mes.",
        "Detengan mi suscripción y no la renueven.",
        "cancelar pedido {n}",
        "He cambiado de opinión, anulen el {o} inmediatamente.",
    ],
    "refund_return": [
        "Quiero devolver la {p}, no me queda bien.",
        "¿Cómo consigo el reembolso del {o}?",
        "Devolví la {p} hace dos semanas y todavía no me han devuelto el dinero.",
        "¿Puedo cambiar la {p} por una talla más grande?",
        "Por favor, reembolsen {a}, el artículo venía defectuoso.",
        "Necesito una etiqueta de devolución para el {o}.",
        "La {p} llegó rota, quiero que me devuelvan el dinero.",
        "donde esta mi reembolso",
        "Devolví el paquete pero el reembolso de {a} sigue sin llegar.",
    ],
    "billing": [
        "Me han cobrado dos veces el {o}.",
        "Mi factura dice {a} pero solo pedí una {p}.",
        "¿Por qué me han cargado {a} en la tarjeta este mes?",
        "¿Me pueden enviar una copia de la factura del {o}?",
        "El pago falló pero el dinero salió de mi cuenta.",
        "El NIF de mi factura está mal.",
        "No reconozco un cargo de {a} en mi extracto bancario.",
        "otra vez cobro doble",
        "Por favor, corrijan los datos de facturación de mi última factura.",
    ],
    "complaint": [
        "Estoy muy descontento con el servicio recibido.",
        "Su repartidor fue muy maleducado conmigo.",
        "Es la tercera vez que mi entrega llega tarde, es inaceptable.",
        "La calidad de la {p} es pésima, esperaba mucho más.",
        "Nadie contesta el teléfono ni responde a mis correos.",
        "Quiero poner una reclamación formal por cómo me trataron en su tienda.",
        "La peor experiencia como cliente que he tenido nunca.",
        "servicio pésimo, muy decepcionado",
        "Su personal no me ayudó y estuve una hora esperando al teléfono.",
    ],
    "technical_support": [
        "No puedo iniciar sesión en la app, sale error 500.",
        "La web se cuelga cuando intento pagar.",
        "Mi {p} no enciende desde la última actualización.",
        "Nunca recibí el correo para restablecer la contraseña.",
        "La aplicación se congela cada vez que abro mis pedidos.",
        "La conexión Bluetooth de mi {p} se corta todo el rato.",
        "La página de pago se queda en blanco en mi móvil.",
        "la app no funciona",
        "Me sale un mensaje de error al intentar vincular el dispositivo.",
    ],
    "account_update": [
        "Por favor, actualicen mi correo electrónico al nuevo que indico abajo.",
        "Quiero cambiar el número de teléfono de mi cuenta.",
        "¿Cómo elimino mi cuenta y todos mis datos?",
        "Por favor, cambien mi apellido en la cuenta, me he casado.",
        "¿Pueden actualizar mi dirección predeterminada en el perfil?",
        "Denme de baja del boletín de noticias.",
        "Necesito cambiar la contraseña de mi cuenta de cliente.",
        "actualizar mi numero de telefono porfa",
        "¿Pueden unir mis dos cuentas de cliente en una?",
    ],
    "product_inquiry": [
        "¿Tienen la {p} en azul en stock?",
        "¿Qué medidas tiene la {p}?",
        "¿La {p} es impermeable?",
        "¿Cuándo volverá a estar disponible la {p}?",
        "¿La {p} tiene garantía?",
        "¿Qué talla me recomiendan si mido 1,80?",
        "¿Se puede usar la {p} en exteriores?",
        "venden tarjetas regalo",
        "¿Cuánto cuesta la {p} grande?",
    ],
    "other": [
        "¡Muchas gracias por su ayuda ayer!",
        "¿Tienen ofertas de empleo en el almacén?",
        "Solo quería decir que su equipo hizo un gran trabajo.",
        "¿Quién es? Recibí un mensaje de este número.",
        "Nos gustaría proponerles una colaboración.",
        "¡Felices fiestas a todo el equipo!",
        "¿Abren los domingos?",
        "gracias",
        "Por favor, reenvíen esto a su departamento de marketing.",
    ],
}
SUBJECTS = {
    "order_status": ["¿Dónde está mi pedido?", "Estado del envío", "Pedido {o}"],
    "order_change": ["Cambio en mi pedido", "Nueva dirección de entrega"],
    "cancellation": ["Cancelación", "Baja"],
    "refund_return": ["Devolución", "Reembolso"],
    "billing": ["Consulta sobre factura", "Cobro duplicado"],
    "complaint": ["Reclamación", "Muy descontento"],
    "technical_support": ["Problema con la app", "No puedo entrar"],
    "account_update": ["Actualizar mi cuenta", "Nuevo correo"],
    "product_inquiry": ["Consulta sobre un producto", "Disponibilidad"],
    "other": ["Hola", "Gracias"],
}
URGENT = [
    "¡La {p} empezó a echar humo y se incendió!",
    "Mi hijo se hizo daño, esto es peligroso.",
    "Huele a gas desde que vino su técnico.",
]
HIGH = [
    "Es urgente, lo necesito hoy.",
    "Urgente, respondan lo antes posible.",
    "Si no se soluciona, hablaré con mi abogado.",
    "Voy a denunciarlo ante la OCU y consumo.",
    "Si no, lo publico en Twitter.",
]
LOW = ["Sin prisa, respondan cuando puedan.", "No es urgente."]
ANGRY = ["¡Esto es una vergüenza!", "Estoy furioso.", "¡¡Totalmente inaceptable!!"]
